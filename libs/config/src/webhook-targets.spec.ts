import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebhookTargetRefusedError, addressProblem, checkResolvedHost, webhookUrlProblem } from './webhook-targets';

const refused = (url: string, allowPrivate: boolean) => webhookUrlProblem(new URL(url), allowPrivate) !== null;

describe('webhook targets', () => {
  it('never delivers to link-local, metadata or multicast addresses, however they are written', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.1.1/',
      'http://2852039166/', // 169.254.169.254 as one number
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.GOOGLE.INTERNAL./',
      'http://100.100.100.200/',
      'http://224.0.0.1/',
    ]) {
      assert.ok(refused(url, true), `${url} is refused even where private targets are allowed`);
    }
  });

  it('delivers to loopback and private ranges only when the deployment allows them', () => {
    for (const url of ['http://127.0.0.1:9/', 'http://127.8.9.10/', 'http://0x7f.1/', 'http://[::1]/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://172.31.255.255/', 'http://192.168.1.1/', 'http://[fc00::1]/', 'http://[fd12::1]/', 'http://[::ffff:10.0.0.1]/', 'http://0.0.0.0/']) {
      assert.ok(refused(url, false), `${url} refused by default`);
      assert.ok(!refused(url, true), `${url} allowed with TRAINYARD_WEBHOOK_ALLOW_PRIVATE`);
    }
    for (const url of ['https://hooks.example.com/x', 'http://8.8.8.8/', 'http://172.32.0.1/', 'http://[2001:db8::1]/']) assert.ok(!refused(url, false), url);
  });

  it('refuses URLs with credentials, and other schemes', () => {
    assert.match(webhookUrlProblem(new URL('https://user:secret@hooks.example.com/'), true)!, /credentials/);
    assert.match(webhookUrlProblem(new URL('https://user@hooks.example.com/'), true)!, /credentials/);
    assert.match(webhookUrlProblem(new URL('ftp://hooks.example.com/'), true)!, /http/);
  });

  it('names the reason', () => {
    assert.match(addressProblem('127.0.0.1', false)!, /TRAINYARD_WEBHOOK_ALLOW_PRIVATE/);
    assert.match(addressProblem('169.254.169.254', true)!, /metadata/);
    assert.equal(addressProblem('93.184.216.34', false), null);
  });

  it('checks every address a name resolves to', async () => {
    await assert.rejects(checkResolvedHost('localhost', false), WebhookTargetRefusedError);
    assert.ok((await checkResolvedHost('localhost', true)).length >= 1);
  });
});
