import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Field, Form } from '../components';
import { api } from '../lib/api';
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

export function VerifyPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState(t('codeSent'));
  return (
    <section className="card narrow">
      <h1>{t('verifyEmail')}</h1>
      <p className="alert info">{notice}</p>
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
      <Form
        submitLabel={t('resend')}
        onSubmit={async () => {
          await api('/api/users/resend-verification', { method: 'POST', body: { email } });
          setNotice(t('codeSent'));
        }}
      >
        {null}
      </Form>
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
        {t('noAccount')} <Link to="/register">{t('register')}</Link>
      </p>
    </section>
  );
}
