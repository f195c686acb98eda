/**
 * Feedback must point at files the way the reader sees the repository (`pkg/x.go:12`), whichever
 * machine or Job checkout produced it, and must never carry a secret the checks had access to.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Characters that continue a path: a root only matches where the path around it ends. */
const PATH_CHAR = String.raw`[\w.~@+\-/]`;

export interface RelativizeOptions {
  /** The repository root, then any other place the same tree lives (the Job's checkout directory). */
  roots: readonly string[];
  /**
   * The Go module path: `<anything>/src/<module>/` (a GOPATH checkout such as
   * `/go/src/github.com/org/repo/`) then maps to the repository root too.
   */
  goModule?: string;
}

/**
 * Rewrites absolute paths under any root (also as `file://` URLs) to repository-relative ones; a root
 * on its own becomes `.`. Paths outside every root (toolchains, module caches) stay absolute, which is
 * what tells the parsers a stack frame is not the user's code.
 */
export function relativizePaths(text: string, options: RelativizeOptions): string {
  const roots = [...new Set(options.roots.map((r) => r.replace(/\/+$/, "")).filter((r) => r.length > 1))];
  roots.sort((a, b) => b.length - a.length);
  const alternatives = roots.map(escapeRegExp);
  if (options.goModule) alternatives.push(`(?:/${PATH_CHAR}*?)?/src/${escapeRegExp(options.goModule)}`);
  if (alternatives.length === 0) return text;
  const pattern = new RegExp(
    `(?<!${PATH_CHAR})(?:file://)?(?:${alternatives.join("|")})(?:(/)|(?!${PATH_CHAR}))`,
    "g",
  );
  return text.replace(pattern, (_match, slash: string | undefined) => (slash ? "" : "."));
}

/** Shorter values would mask ordinary words; such a "secret" cannot be hidden usefully anyway. */
const MIN_SECRET = 4;
/** Shorter base64 fragments match unrelated base64 data too often. */
const MIN_BASE64_CORE = 6;

const MASK = "***";

/**
 * The forms a secret takes in output: itself, each line of a multi-line value, JSON- and
 * URL-escaped, and base64 (standard and URL-safe). For base64 also the part that is the same
 * wherever the secret sits inside a larger encoded value (a docker config's `auth`, a kubeconfig):
 * base64 groups three bytes, so there are three alignments.
 */
function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  const add = (form: string, min = MIN_SECRET): void => {
    if (form.length >= min) forms.add(form);
  };
  add(secret);
  for (const line of secret.split(/\r?\n/)) add(line.trim(), 8);
  add(JSON.stringify(secret).slice(1, -1));
  add(encodeURIComponent(secret));
  if (secret.length < MIN_SECRET) return [...forms];
  const bytes = Buffer.from(secret, "utf8");
  const full = bytes.toString("base64");
  for (const encoded of [full, full.replace(/=+$/, "")]) {
    add(encoded);
    add(encoded.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString("base64");
    const first = [0, 2, 3][offset] ?? 0;
    const last = Math.floor((padded.length * 8) / 6);
    const core = encoded.slice(first, last);
    add(core, MIN_BASE64_CORE);
    add(core.replace(/\+/g, "-").replace(/\//g, "_"), MIN_BASE64_CORE);
  }
  return [...forms];
}

export interface MaskOptions {
  /**
   * The text was cut from a longer stream (a tail), so a secret may be cut in two at its start or
   * end. Then a leading suffix or trailing prefix of a secret (4 characters or more) is masked too.
   */
  edges?: boolean;
}

/** Replaces every occurrence of each secret, in the forms above, with `***`. */
export function maskSecrets(text: string, secrets: readonly string[], options: MaskOptions = {}): string {
  const values = secrets.filter((s) => s.length >= MIN_SECRET);
  if (values.length === 0 || text.length === 0) return text;
  const forms = [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  let masked = text.replace(new RegExp(forms.map(escapeRegExp).join("|"), "g"), MASK);
  if (options.edges) for (const secret of values) masked = maskEdges(masked, secret);
  return masked;
}

function maskEdges(text: string, secret: string): string {
  let result = text;
  for (let n = secret.length - 1; n >= MIN_SECRET; n--) {
    if (result.startsWith(secret.slice(-n))) {
      result = MASK + result.slice(n);
      break;
    }
  }
  for (let n = secret.length - 1; n >= MIN_SECRET; n--) {
    if (result.endsWith(secret.slice(0, n))) {
      result = result.slice(0, result.length - n) + MASK;
      break;
    }
  }
  return result;
}
