/** The webhook URL is a secret (Slack's carries its token in the path): it never appears in an error. */
export class WebhookError extends Error {
  override name = 'NotifyError';
}

/**
 * Posts `{ "text": ... }` (Slack's incoming-webhook format, also accepted by Mattermost, Rocket.Chat
 * and Teams' Slack-compatible endpoints). Throws a WebhookError that names the status or the
 * network cause, never the URL, so the retrying activity's failures are safe to log and to
 * store in the workflow history.
 */
export async function postWebhook(url: string, text: string, timeoutMs = 10_000): Promise<number> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new WebhookError(`webhook unreachable (${cause})`);
  }
  await res.arrayBuffer().catch(() => undefined); // drain: keep-alive sockets are reused
  if (!res.ok) throw new WebhookError(`webhook answered HTTP ${res.status}`);
  return res.status;
}
