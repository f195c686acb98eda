import { request } from "node:https";

/**
 * True when `url` answers 200 with `expected` in its body; false while it refuses or fails. For a
 * component's own health endpoint, whose serving certificate it generated itself: the answer is read,
 * not trusted, so the certificate is not verified.
 */
export function answers(url: string, expected: string, timeoutMs = 2000): Promise<boolean> {
  if (url.startsWith("http:")) {
    return fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (response) => response.ok && (await response.text()).includes(expected))
      .catch(() => false);
  }
  return new Promise((resolve) => {
    const req = request(url, { rejectUnauthorized: false, timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve(response.statusCode === 200 && body.includes(expected)));
      response.on("error", () => resolve(false));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}
