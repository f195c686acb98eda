import { copyFile, mkdir, open, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import type { Attachment } from "../../model/result.ts";
import type { Entry } from "../collect.ts";
import type { ResolvedAttachment } from "./data.ts";

/**
 * Attachments are embedded in index.html up to a cap each and a budget for the whole page, so the
 * page stays one file that opens fast; past that the page shows the file's beginning and links the
 * file beside index.html (in place when it already lies under the report folder, copied otherwise).
 */
export interface AttachmentLimits {
  /** Bytes of one attachment embedded; a longer file shows this much and links the rest. */
  perFile: number;
  /** Bytes embedded in the whole page; once spent, attachments are only linked. */
  total: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { perFile: 64 * 1024, total: 8 * 1024 * 1024 };

/** Folder under the report folder for attachments that lie elsewhere (a custom --artifacts-dir). */
export const COPIED_DIR = "attachments";

export async function resolveAttachments(
  entries: readonly Entry[],
  reportDir: string,
  limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS,
): Promise<Map<string, ResolvedAttachment>> {
  const out = new Map<string, ResolvedAttachment>();
  let budget = limits.total;
  const copies = { n: 0 };
  for (const entry of entries) {
    for (const attempt of entry.result.attempts) {
      for (const attachment of attempt.attachments ?? []) {
        if (out.has(attachment.path)) continue;
        const cap = Math.max(0, Math.min(limits.perFile, budget));
        const resolved = await resolveOne(attachment, cap, () => linkTo(attachment, reportDir, copies));
        budget -= Buffer.byteLength(resolved.text ?? "");
        out.set(attachment.path, resolved);
      }
    }
  }
  return out;
}

async function resolveOne(
  attachment: Attachment,
  cap: number,
  link: () => Promise<string>,
): Promise<ResolvedAttachment> {
  const base = { name: attachment.name, contentType: attachment.contentType };
  if (attachment.body !== undefined && Buffer.byteLength(attachment.body) <= cap) {
    return { ...base, text: attachment.body, truncated: false, size: Buffer.byteLength(attachment.body) };
  }
  let size: number;
  try {
    size = (await stat(attachment.path)).size;
  } catch (error) {
    if (attachment.body !== undefined) return { ...base, text: attachment.body, truncated: false };
    return { ...base, truncated: false, missing: (error as NodeJS.ErrnoException).code ?? "unreadable" };
  }
  const text = cap > 0 ? await readHead(attachment.path, Math.min(cap, size)) : undefined;
  if (size <= cap) return { ...base, ...(text !== undefined ? { text } : {}), truncated: false, size };
  return { ...base, ...(text !== undefined ? { text } : {}), truncated: true, size, href: await link() };
}

/** The first `bytes` of a file as text, cut back to a whole UTF-8 character. */
async function readHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    // A cut inside a character decodes to replacement characters at the end: drop them.
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    return bytesRead < bytes ? text : text.replace(/\uFFFD+$/, "");
  } finally {
    await handle.close();
  }
}

/** A link from index.html to the file: in place under the report folder, else a copy beside it. */
async function linkTo(attachment: Attachment, reportDir: string, copies: { n: number }): Promise<string> {
  const rel = relative(reportDir, attachment.path);
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return toHref(rel);
  // Numbered: attempts of different tests have files of the same name.
  const name = `${++copies.n}-${basename(attachment.name)}`;
  const target = join(reportDir, COPIED_DIR, name);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(attachment.path, target);
  return toHref(`${COPIED_DIR}/${name}`);
}

function toHref(rel: string): string {
  return rel.split(sep).map(encodeURIComponent).join("/");
}
