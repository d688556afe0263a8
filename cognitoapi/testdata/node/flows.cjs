// Drives amazon-cognito-identity-js against a cognitoapi server; run by
// node_test.go, which creates the pool, the client and the users and
// passes them in the environment. Prints one JSON line per step and exits
// non-zero on the first failure.
'use strict';

const crypto = require('node:crypto');
const {
  CognitoUserPool, CognitoUser, AuthenticationDetails,
} = require('amazon-cognito-identity-js');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
};

const pool = new CognitoUserPool({
  UserPoolId: env('POOL_ID'),
  ClientId: env('CLIENT_ID'),
  endpoint: env('ENDPOINT'),
});

// RFC 4648 base32 and RFC 6238 TOTP (SHA-1, 6 digits, 30 s), with node's
// crypto only.
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`bad base32 character ${c}`);
    value = (value << 5) | i; bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

function totp(secret, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

function report(step, data) {
  process.stdout.write(JSON.stringify({ step, ...data }) + '\n');
}

// signIn runs authenticateUser (USER_SRP_AUTH, and DEVICE_SRP_AUTH when
// the user has a remembered device) and answers a TOTP challenge.
function signIn(user, password, totpSecret) {
  return new Promise((resolve, reject) => {
    const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
    const seen = [];
    user.authenticateUser(details, {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, seen, userConfirmationNecessary }),
      onFailure: reject,
      totpRequired: (challengeName) => {
        seen.push(challengeName);
        if (!totpSecret) { reject(new Error(`unexpected ${challengeName}`)); return; }
        const code = totp(totpSecret, Number(env('TOTP_TIME')));
        user.sendMFACode(code, {
          onSuccess: (session, userConfirmationNecessary) => resolve({ session, seen, userConfirmationNecessary }),
          onFailure: reject,
        }, 'SOFTWARE_TOKEN_MFA');
      },
      mfaRequired: (name) => reject(new Error(`unexpected ${name}`)),
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      mfaSetup: () => reject(new Error('unexpected MFA_SETUP')),
      customChallenge: () => reject(new Error('unexpected CUSTOM_CHALLENGE')),
    });
  });
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

async function main() {
  // 1. USER_SRP_AUTH.
  const srpUser = new CognitoUser({ Username: env('SRP_USER'), Pool: pool });
  const srp = await signIn(srpUser, env('SRP_PASSWORD'));
  report('srp', { username: claims(srp.session.getAccessToken().getJwtToken())['username'], valid: srp.session.isValid() });

  // 2. USER_SRP_AUTH, then SOFTWARE_TOKEN_MFA (skipped without MFA_USER).
  if (process.env.MFA_USER) {
    const mfaUser = new CognitoUser({ Username: env('MFA_USER'), Pool: pool });
    const mfa = await signIn(mfaUser, env('MFA_PASSWORD'), env('TOTP_SECRET'));
    report('totp', { challenges: mfa.seen, username: claims(mfa.session.getAccessToken().getJwtToken())['username'] });
  }

  // 3. A remembered device: the first sign-in confirms the device (the
  // library calls ConfirmDevice itself), the user remembers it, and the
  // next sign-in proves the device with DEVICE_SRP_AUTH.
  const devUser = new CognitoUser({ Username: env('DEVICE_USER'), Pool: pool });
  // With DEVICE_TOTP_SECRET the user has TOTP MFA, which the remembered
  // device then skips: the second sign-in gets no TOTP challenge.
  const first = await signIn(devUser, env('DEVICE_PASSWORD'), process.env.DEVICE_TOTP_SECRET);
  await new Promise((resolve, reject) => devUser.setDeviceStatusRemembered({
    onSuccess: resolve, onFailure: reject,
  }));
  const deviceKey = devUser.deviceKey;
  const again = await signIn(devUser, env('DEVICE_PASSWORD'));
  report('device', {
    deviceKey,
    firstChallenges: first.seen,
    againChallenges: again.seen,
    confirmationNecessary: first.userConfirmationNecessary,
    username: claims(again.session.getAccessToken().getJwtToken())['username'],
    tokenDeviceKey: claims(again.session.getAccessToken().getJwtToken())['device_key'] || '',
  });
}

main().catch((err) => {
  process.stderr.write(`FAIL: ${err && (err.code || err.name)}: ${err && err.message}\n`);
  process.exit(1);
});
