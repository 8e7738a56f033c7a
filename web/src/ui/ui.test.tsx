// The design system's pieces on their own: what they show, what they do on a click or a key, in both languages.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { ReactNode } from 'react';
import { Badge, ConfirmButton, CopyButton, Field, Form, Loading, PageHeader, ProblemMessage, useToast, Toaster } from '../components';
import { ApiError } from '../lib/api';
import { I18nProvider } from '../lib/i18n';

const wrap = (node: ReactNode, language: 'en' | 'zh-CN' = 'en') => {
  localStorage.setItem('derp.language', language);
  return render(<I18nProvider><MemoryRouter>{node}</MemoryRouter></I18nProvider>);
};
const problem = (over: object = {}) => new ApiError({ status: 409, code: 'plan_sold_out', title: 'This plan is sold out.', ...over });

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.useRealTimers();
});

describe('ProblemMessage', () => {
  it('says the message of the code in Chinese, never the English title', () => {
    wrap(<ProblemMessage error={problem()} />, 'zh-CN');
    const alert = screen.getByRole('alert');
    expect(alert.dataset.code).toBe('plan_sold_out');
    expect(alert.textContent).toContain('该套餐已售罄');
    expect(alert.textContent).not.toContain('sold out');
  });

  it('counts down the Retry-After of a rate limit', () => {
    vi.useFakeTimers();
    wrap(<ProblemMessage error={problem({ status: 429, code: 'login_rate_limited', retryAfter: 3 })} />);
    expect(screen.getByTestId('retry-countdown').textContent).toBe('You can try again in 3 s');
    act(() => vi.advanceTimersByTime(3000));
    expect(screen.getByTestId('retry-countdown').textContent).toBe('You can try again now');
  });
});

describe('Form and Field', () => {
  it('shows each field error under its field and the others in the alert', async () => {
    const failing = () => Promise.reject(new ApiError({ status: 400, code: 'validation_failed', title: 'x', errors: { Email: ['Email is not valid.'], other: ['Other is wrong.'] } }));
    wrap(<Form onSubmit={failing} submitLabel="Send"><Field label="Email" name="email" value="" onChange={() => undefined} required={false} /></Form>);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByTestId('field-error')).textContent).toBe('Email is not valid.');
    expect(screen.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('other');
    expect(alert.textContent).not.toContain('Email is not valid.');
  });
});

describe('ConfirmButton', () => {
  it('states the consequences, closes on Escape without acting, and acts on confirm', async () => {
    const onConfirm = vi.fn(async () => undefined);
    wrap(<ConfirmButton label="Stop" title="Stop the relay?" consequences="Renters lose this relay." onConfirm={onConfirm} testId="stop" />);
    fireEvent.click(screen.getByTestId('stop'));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Renters lose this relay.');
    expect(document.activeElement).toBe(screen.getByTestId('confirm-dialog-cancel'));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId('stop'));
    fireEvent.click(screen.getByTestId('confirm-dialog-confirm'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('keeps the dialog open with the problem when the action fails, and traps the focus', async () => {
    wrap(<ConfirmButton label="Delete" title="Delete?" consequences="Gone." onConfirm={() => Promise.reject(problem())} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByTestId('confirm-dialog-confirm');
    confirm.focus();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByTestId('confirm-dialog-cancel'));
    fireEvent.click(confirm);
    expect((await screen.findByRole('alert')).textContent).toContain('This plan is sold out.');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});

describe('small pieces', () => {
  it('Badge shows the label in its tone and keeps the raw value', () => {
    wrap(<Badge vocabulary="ServerStatuses" value="unhealthy" />, 'zh-CN');
    const badge = screen.getByText('异常');
    expect(badge.className).toContain('tone-danger');
    expect(badge.dataset.value).toBe('unhealthy');
  });

  it('CopyButton copies and says so', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    wrap(<CopyButton value="VIP-ABC" label="code" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
    await screen.findByText('✓ Copied');
    expect(writeText).toHaveBeenCalledWith('VIP-ABC');
  });

  it('PageHeader names the document', () => {
    wrap(<PageHeader title="Orders" />);
    expect(document.title).toBe('Orders · Derp');
  });

  it('Loading shows a skeleton, then the empty state for an empty page, or the problem', () => {
    const { rerender } = wrap(<Loading state={{ data: null, error: null }}>rows</Loading>);
    expect(screen.getByTestId('skeleton')).toBeTruthy();
    rerender(<I18nProvider><Loading state={{ data: { items: [], total: 0 }, error: null }}>rows</Loading></I18nProvider>);
    expect(screen.getByTestId('empty-state').textContent).toContain('Nothing here yet');
    rerender(<I18nProvider><Loading state={{ data: [1], error: null }}>{(data: number[]) => `rows ${data.length}`}</Loading></I18nProvider>);
    expect(screen.getByText('rows 1')).toBeTruthy();
    rerender(<I18nProvider><Loading state={{ data: null, error: problem() }}>rows</Loading></I18nProvider>);
    expect(screen.getByRole('alert')).toBeTruthy();
  });

  it('useToast shows a problem by its code in the Toaster', async () => {
    function Buttons() {
      const toast = useToast();
      return <><button onClick={() => toast.success('Saved')}>ok</button><button onClick={() => toast.error(problem())}>bad</button></>;
    }
    wrap(<><Buttons /><Toaster /></>, 'zh-CN');
    fireEvent.click(screen.getByText('ok'));
    fireEvent.click(screen.getByText('bad'));
    expect((await screen.findByTestId('toast-success')).textContent).toContain('Saved');
    expect(screen.getByTestId('toast-error').textContent).toContain('该套餐已售罄');
  });
});
