import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Field, Form } from '../components';
import { api, ApiError } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n } from '../lib/i18n';

export function RegisterPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <section className="card narrow">
      <h1>{t('register')}</h1>
      <Form
        submitLabel={t('register')}
        onSubmit={async () => {
          await api('/api/users/register', { method: 'POST', body: { email, username, password, language } });
          navigate(`/verify?email=${encodeURIComponent(email)}`);
        }}
      >
        <Field label={t('email')} name="email" type="email" value={email} onChange={setEmail} autoComplete="email" />
        <Field label={t('username')} name="username" value={username} onChange={setUsername} autoComplete="username" />
        <Field label={t('password')} name="password" type="password" value={password} onChange={setPassword} autoComplete="new-password" />
      </Form>
      <p>
        {t('haveAccount')} <Link to="/login">{t('login')}</Link>
      </p>
    </section>
  );
}

/** Seconds left until a resend is allowed again (a rate limit's Retry-After, or the pause after a mail). */
export const resendPauseSeconds = 60;
/** How long a mailed code is valid (the services' default: 15 minutes). */
export const codeValidMinutes = 15;

function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

/** Resends a code; the button waits out a pause after each mail, and a 429's Retry-After. */
function ResendButton({ send }: { send: () => Promise<void> }) {
  const { t } = useI18n();
  const [left, setLeft] = useCountdown();
  return (
    <Form
      submitLabel={left > 0 ? t('auth_resendIn', { n: left }) : t('resend')}
      testId="resend"
      onSubmit={async () => {
        if (left > 0) return;
        try {
          await send();
          setLeft(resendPauseSeconds);
        } catch (e) {
          if (e instanceof ApiError && e.problem.status === 429) setLeft(Math.ceil(e.problem.retryAfter ?? resendPauseSeconds));
          throw e;
        }
      }}
    >
      {null}
    </Form>
  );
}

export function VerifyPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  return (
    <section className="card narrow">
      <h1>{t('verifyEmail')}</h1>
      <p className="alert info" data-testid="code-validity">{t('auth_codeSentValid', { n: codeValidMinutes })}</p>
      <Form
        submitLabel={t('verifyEmail')}
        onSubmit={async () => {
          await api('/api/users/verify-email', { method: 'POST', body: { email, code } });
          navigate(`/login?verified=1&email=${encodeURIComponent(email)}`);
        }}
      >
        <Field label={t('email')} name="email" type="email" value={email} onChange={setEmail} />
        <Field label={t('code')} name="code" value={code} onChange={setCode} autoComplete="one-time-code" />
      </Form>
      <ResendButton send={() => api('/api/users/resend-verification', { method: 'POST', body: { email } })} />
    </section>
  );
}

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  return (
    <section className="card narrow">
      <h1>{t('auth_forgotTitle')}</h1>
      <p>{t('auth_forgotHint')}</p>
      <Form
        submitLabel={t('auth_sendCode')}
        testId="forgot"
        onSubmit={async () => {
          await api('/api/users/password/forgot', { method: 'POST', body: { email } });
          navigate(`/reset-password?email=${encodeURIComponent(email)}`);
        }}
      >
        <Field label={t('email')} name="email" type="email" value={email} onChange={setEmail} autoComplete="email" />
      </Form>
      <p><Link to="/login">{t('login')}</Link></p>
    </section>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  return (
    <section className="card narrow">
      <h1>{t('auth_resetTitle')}</h1>
      <p className="alert info" data-testid="code-validity">{t('auth_resetSent', { n: codeValidMinutes })}</p>
      <Form
        submitLabel={t('auth_resetSubmit')}
        testId="reset"
        onSubmit={async () => {
          await api('/api/users/password/reset', { method: 'POST', body: { email, code, newPassword } });
          navigate(`/login?reset=1&email=${encodeURIComponent(email)}`);
        }}
      >
        <Field label={t('email')} name="email" type="email" value={email} onChange={setEmail} autoComplete="email" />
        <Field label={t('code')} name="code" value={code} onChange={setCode} autoComplete="one-time-code" />
        <Field label={t('auth_newPassword')} name="newPassword" type="password" value={newPassword} onChange={setNewPassword} autoComplete="new-password" />
      </Form>
      <ResendButton send={() => api('/api/users/password/forgot', { method: 'POST', body: { email } })} />
    </section>
  );
}

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  return (
    <section className="card narrow">
      <h1>{t('login')}</h1>
      {params.get('verified') && <p className="alert success">{t('verified')}</p>}
      {params.get('reset') && <p className="alert success">{t('auth_resetDone')}</p>}
      <Form
        submitLabel={t('login')}
        onSubmit={async () => {
          await login(email, password);
          navigate('/');
        }}
      >
        <Field label={t('email')} name="email" type="email" value={email} onChange={setEmail} autoComplete="email" />
        <Field label={t('password')} name="password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
      </Form>
      <p>
        {t('noAccount')} <Link to="/register">{t('register')}</Link> · <Link to="/forgot-password">{t('auth_forgotLink')}</Link>
      </p>
    </section>
  );
}
