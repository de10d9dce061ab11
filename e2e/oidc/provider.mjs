// A real OpenID provider (npm `oidc-provider`) for ambito's OIDC login tests.
//
//   node e2e/oidc/provider.mjs --port N      (N = 0 picks a free port)
//
// Prints `issuer http://127.0.0.1:PORT` on stdout once it accepts connections. The Rust
// integration test (crates/cli/tests/it/oidc.rs) starts it as a child process, points ambito at
// it and completes the login with an HTTP client: GET the authorization URL, POST the login form
// below, and follow redirects. Consent is granted automatically.
//
// Static clients, all with the same secret. They are "native" clients only so that their
// loopback redirect URIs match whatever port the ambito under test listens on (RFC 8252 §7.3).
// Some clients make the provider misbehave, with tokens signed by the provider's real key:
//   ambito          honest
//   ambito-aud      the ID token's `aud` names another client
//   ambito-nonce    the ID token's `nonce` is not the one the RP sent
//   ambito-scaduto  the ID token expired an hour ago
//   ambito-lento    authorization codes live 3 seconds (to test an expired code)
import { createServer } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import Provider from 'oidc-provider';

const SECRET = 'segreto-di-prova-ambito-0123456789';
const CLIENTS = ['ambito', 'ambito-aud', 'ambito-nonce', 'ambito-scaduto', 'ambito-lento'];
const PROVIDER_NAMES = { ambito: 'test', 'ambito-aud': 'test-aud', 'ambito-nonce': 'test-nonce', 'ambito-scaduto': 'test-scaduto', 'ambito-lento': 'test-lento' };

// Test accounts: login → claims. fiscalNumber carries SPID's `TINIT-` prefix.
const ACCOUNTS = {
  'mario.rossi': {
    password: 'prova',
    claims: { fiscalNumber: 'TINIT-RSSMRA85T10A562S', given_name: 'Mario', family_name: 'Rossi', name: 'Mario Rossi', email: 'mario.rossi@example.org', email_verified: true },
  },
  'anna.bianchi': {
    password: 'prova',
    claims: { fiscalNumber: 'TINIT-BNCNNA90A41F205W', given_name: 'Anna', family_name: 'Bianchi', name: 'Anna Bianchi', email: 'anna.bianchi@example.org', email_verified: true },
  },
};

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'ambito-test-key', alg: 'RS256', use: 'sig' };

let provider;
const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  } else {
    provider.callback()(req, res);
  }
});

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: CLIENTS.map((id) => ({
      client_id: id,
      client_secret: SECRET,
      application_type: 'native',
      redirect_uris: [`http://127.0.0.1/accesso/oidc/${PROVIDER_NAMES[id]}/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: ['chiave-cookie-di-prova'] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'fiscalNumber'],
      email: ['email', 'email_verified'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: (_ctx, _code, client) => (client.clientId === 'ambito-lento' ? 3 : 60),
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    findAccount: async (_ctx, id) => {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'text/plain';
      ctx.body = `errore: ${out.error}: ${out.error_description ?? ''}`;
    },
  });
  provider.use(tamper);
  console.log(`issuer ${issuer}`);
});

// Rewrites the ID token of misbehaving clients and signs it again with the provider's own key.
async function tamper(ctx, next) {
  await next();
  const client = ctx.oidc?.client?.clientId;
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const change = {
    'ambito-aud': (p) => ({ ...p, aud: 'un-altro-client' }),
    'ambito-nonce': (p) => ({ ...p, nonce: 'nonce-falso' }),
    'ambito-scaduto': (p) => ({ ...p, iat: p.iat - 7200, exp: p.iat - 3600 }),
  }[client];
  if (!change) return;
  const [h, p] = ctx.body.id_token.split('.');
  const header = Buffer.from(h, 'base64url').toString();
  const payload = JSON.stringify(change(JSON.parse(Buffer.from(p, 'base64url').toString())));
  const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
  ctx.body = { ...ctx.body, id_token: `${input}.${signature}` };
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (req.method === 'POST' && req.url === `/interaction/${uid}/login`) {
    const form = new URLSearchParams(await body(req));
    const login = form.get('login') ?? '';
    const account = ACCOUNTS[login];
    if (!account || account.password !== form.get('password')) {
      return page(res, 401, loginForm(uid, 'Credenziali non valide'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (prompt.name === 'login') return page(res, 200, loginForm(uid));
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return page(res, 400, `prompt non gestito: ${prompt.name}`);
}

function loginForm(uid, error = '') {
  return `<!DOCTYPE html><html lang="it"><title>Accesso di prova</title><p>${error}</p>
<form method="post" action="/interaction/${uid}/login">
<label>Utente <input name="login"></label><label>Password <input type="password" name="password"></label>
<button type="submit">Entra</button></form></html>`;
}

function page(res, status, html) {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(html);
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
