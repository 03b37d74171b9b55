import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WebhookTargetRefusedError, checkedLookup, webhookUrlProblem } from '@trainyard/config';

/**
 * POSTs a webhook body and resolves with the answer's status. The target is checked by the deployment's policy first
 * (its URL), and the socket connects only to an address the policy was asked about at that moment: the name is
 * resolved, every address checked, and the checked one used (DNS rebinding cannot slip in between). Redirects are
 * not followed. Rejects with WebhookTargetRefusedError when the policy refuses the target.
 */
export function postWebhook(target: string, body: string, headers: Record<string, string>, options: { allowPrivate: boolean; timeoutMs: number }): Promise<number> {
  const url = new URL(target);
  const problem = webhookUrlProblem(url, options.allowPrivate);
  if (problem) return Promise.reject(new WebhookTargetRefusedError(problem));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: checkedLookup(options.allowPrivate),
        agent: false,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
