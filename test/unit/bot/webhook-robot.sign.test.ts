// Known vectors computed independently (openssl dgst -sha256 -hmac, Python hmac + quote_plus).
import { signedWebhookUrl, webhookSignature } from '../../../bot/clients/webhook-robot';

const SECRET = 'SECd0f1e2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3';

describe('custom robot webhook signing', () => {
  it('matches the known HmacSHA256/base64 vectors', () => {
    expect(webhookSignature(SECRET, 1577262236757)).toBe('05s1LoaTCn/fvtgMKbyYN3gsHEWirgZIp4glaBYwJOo=');
    expect(webhookSignature(SECRET, '1700000000002')).toBe('aANsH50iUJBqgOBN1df1r55XHqWK+r/DZR3Com7cHtg=');
  });

  it('URL-encodes the sign (+, /, =) and keeps the access_token', () => {
    const url = signedWebhookUrl(
      { url: 'https://oapi.example/robot/send?access_token=abc', secret: SECRET },
      1700000000002,
    );
    expect(url).toBe(
      'https://oapi.example/robot/send?access_token=abc&timestamp=1700000000002&sign=aANsH50iUJBqgOBN1df1r55XHqWK%2Br%2FDZR3Com7cHtg%3D',
    );
    expect(new URL(url).searchParams.get('sign')).toBe(webhookSignature(SECRET, 1700000000002));
  });

  it('leaves an unsigned robot URL alone', () => {
    expect(signedWebhookUrl({ url: 'https://oapi.example/robot/send?access_token=abc' }, 1)).toBe(
      'https://oapi.example/robot/send?access_token=abc',
    );
  });
});
