// Forgot password, the verify page's resend countdown and the account page, inside the real App against a stubbed gateway.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderAt, sent, stubGateway } from './testGateway';
import { tokenStore } from '../lib/api';

const renter = { id: 'u-renter', email: 'r@derp.test', username: 'renter', role: 'renter', emailVerified: true, language: 'en', createdAt: '2026-01-01T00:00:00Z', lastLoginAt: null, lockedUntil: null, status: 'active' };

beforeEach(() => {
  localStorage.setItem('derp.language', 'en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('forgot password', () => {
  it('mails a code, then sets the new password with it and sends the renter to sign in', async () => {
    stubGateway(renter, {
      'POST /api/users/password/forgot': new Response(null, { status: 202 }),
      'POST /api/users/password/reset': new Response(null, { status: 204 }),
    });
    tokenStore.set(null);
    renderAt('/forgot-password');
    const forgot = await screen.findByTestId('forgot');
    fireEvent.change(within(forgot).getByLabelText('Email'), { target: { value: 'r@derp.test' } });
    fireEvent.click(within(forgot).getByRole('button', { name: 'Send code' }));
    const reset = await screen.findByTestId('reset');
    expect(sent('POST', '/api/users/password/forgot')[0].body).toEqual({ email: 'r@derp.test' });
    expect(screen.getByTestId('code-validity').textContent).toContain('15 minutes');
    expect((within(reset).getByLabelText('Email') as HTMLInputElement).value).toBe('r@derp.test');
    fireEvent.change(within(reset).getByLabelText('Code'), { target: { value: '123456' } });
    fireEvent.change(within(reset).getByLabelText('New password'), { target: { value: 'new-horse-7' } });
    fireEvent.click(within(reset).getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByText(/Your password was reset/)).toBeTruthy();
    expect(sent('POST', '/api/users/password/reset')[0].body).toEqual({ email: 'r@derp.test', code: '123456', newPassword: 'new-horse-7' });
  }, 20_000);

  it('shows a wrong code in the UI language and the resend waits out its countdown', async () => {
    localStorage.setItem('derp.language', 'zh-CN');
    stubGateway(renter, {
      'POST /api/users/password/forgot': new Response(null, { status: 202 }),
      'POST /api/users/password/reset': Response.json({ title: 'The reset code is not valid.', code: 'invalid_reset_code', status: 400 }, { status: 400 }),
    });
    tokenStore.set(null);
    renderAt('/reset-password?email=r%40derp.test');
    const reset = await screen.findByTestId('reset');
    fireEvent.change(within(reset).getByLabelText('验证码'), { target: { value: '000000' } });
    fireEvent.change(within(reset).getByLabelText('新密码'), { target: { value: 'new-horse-7' } });
    fireEvent.click(within(reset).getByRole('button', { name: '设置新密码' }));
    expect(await screen.findByText('验证码不正确。')).toBeTruthy();
    expect(screen.queryByText('The reset code is not valid.')).toBeNull();

    const resend = screen.getByTestId('resend');
    fireEvent.click(within(resend).getByRole('button'));
    await waitFor(() => expect(within(resend).getByRole('button').textContent).toMatch(/秒后可重新发送/));
    expect(sent('POST', '/api/users/password/forgot')).toHaveLength(1);
  }, 20_000);
});

describe('account page', () => {
  it('shows the profile, stores the language and signs out everywhere after a confirmation', async () => {
    stubGateway(renter, {
      'PUT /api/users/me/language': { ...renter, language: 'zh-CN' },
      'POST /api/users/me/sessions/revoke-all': new Response(null, { status: 204 }),
      'POST /api/users/logout': new Response(null, { status: 204 }),
    });
    renderAt('/account');
    const profile = await screen.findByTestId('profile');
    expect(within(profile).getByText('r@derp.test')).toBeTruthy();
    expect(within(profile).getByText('renter')).toBeTruthy();
    fireEvent.change(screen.getByTestId('account-language'), { target: { value: 'zh-CN' } });
    await waitFor(() => expect(sent('PUT', '/api/users/me/language')[0].body).toEqual({ language: 'zh-CN' }));

    fireEvent.click(await screen.findByTestId('revoke-all'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getAllByRole('button').at(-1)!);
    await waitFor(() => expect(sent('POST', '/api/users/me/sessions/revoke-all')).toHaveLength(1));
  }, 20_000);

  it('keeps closing the account in a danger zone that needs the password', async () => {
    stubGateway(renter, {});
    renderAt('/account');
    const zone = await screen.findByTestId('danger-zone');
    expect((within(zone).getByTestId('close-account') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(zone).getByLabelText('Password'), { target: { value: 'pw' } });
    expect((within(zone).getByTestId('close-account') as HTMLButtonElement).disabled).toBe(false);
  }, 20_000);
});

describe('devices page', () => {
  it('counts the devices, copies a node key and removes a device only after a confirmation', async () => {
    const key = `nodekey:${'b'.repeat(64)}`;
    let devices = [{ id: 'd1', name: 'laptop', machineCode: 'm-1', nodeKey: key, createdAt: '2026-11-02T00:00:00Z' }];
    stubGateway(renter, {
      'GET /api/users/me/devices': () => devices,
      'DELETE /api/users/me/devices/d1': () => {
        devices = [];
        return new Response(null, { status: 204 });
      },
    });
    renderAt('/devices');
    const row = await screen.findByTestId('device');
    expect(screen.getByText('1 of 5 devices registered')).toBeTruthy();
    expect(within(row).getByText(key)).toBeTruthy();
    expect(within(row).getByRole('button', { name: /node key/i })).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    expect(sent('DELETE', '/api/users/me/devices/d1')).toHaveLength(0);
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getAllByRole('button').at(-1)!);
    expect(await screen.findByText('No devices registered yet')).toBeTruthy();
  }, 20_000);
});
