const messageKeys = ['message', 'error_description', 'detail', 'error', 'title', 'msg', 'description'];

/**
 * The API's own explanation in an error body, redacted and then whitespace-collapsed (not shortened: cut it with
 * `redactThenTruncate`): the `message`-like field of a JSON body (including RFC 9457 problem details and `errors`
 * lists), the title of an HTML page, or the plain text.
 */
export function extractApiMessage(body: string, contentType: string | null, redact: (text: string) => string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  let message: string;
  const json = parseJson(text);
  if (json !== undefined) message = messageOf(json) ?? JSON.stringify(json);
  else if (type === 'text/html' || /^<(!doctype|html)/i.test(text)) message = htmlText(text);
  else message = body;
  const compact = redact(message).replace(/\s+/g, ' ').trim();
  return compact === '' ? undefined : compact;
}

function messageOf(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (depth > 2 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const parts = value.map((item) => messageOf(item, depth + 1)).filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.slice(0, 5).join('; ') : undefined;
  }
  const object = value as { [key: string]: unknown };
  const title = typeof object.title === 'string' ? object.title : undefined;
  const detail = typeof object.detail === 'string' ? object.detail : undefined;
  if (title && detail) return `${title}: ${detail}`;
  for (const key of messageKeys) {
    const found = key === 'error' || key === 'message' ? messageOf(object[key], depth + 1) : typeof object[key] === 'string' ? (object[key] as string) : undefined;
    if (found) return typeof object.code === 'string' && key !== 'error' ? `${found} (${object.code})` : found;
  }
  return messageOf(object.errors, depth + 1);
}

function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = title ?? html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  return text.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

function parseJson(text: string): unknown {
  if (!/^[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
