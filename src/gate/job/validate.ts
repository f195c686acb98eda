/**
 * Allow-lists for the values that reach the Job's pod from outside its constant scripts. They come
 * from the repository (its remote, its branch name), which may be hostile: each is checked here
 * before it becomes an environment variable, and the scripts only ever quote them ("$VAR"), so a
 * value can never become shell syntax or a git option.
 */

/**
 * http(s) URLs with a host and a path, nothing that could carry credentials (`user:pass@`), a query
 * or a fragment, and no path segment starting with '-' or made of dots.
 */
export const REPO_URL_PATTERN =
  /^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?(:[0-9]{1,5})?(\/(?![.-])(?!\.+(\/|$))[A-Za-z0-9._~%+-]{1,200})+\/?$/;

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

/** Git allows more in branch names; the gate passes on only names made of this much. */
const BRANCH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

export function isRepoUrl(value: string): boolean {
  return REPO_URL_PATTERN.test(value);
}

export function isCommitSha(value: string): boolean {
  return SHA_PATTERN.test(value);
}

export function isSafeBranch(value: string): boolean {
  return (
    BRANCH_PATTERN.test(value) &&
    !value.includes("..") &&
    !value.includes("//") &&
    !value.endsWith("/") &&
    !value.endsWith(".") &&
    !value.endsWith(".lock")
  );
}

/**
 * The `origin` remote as an https URL the Job can clone from: scp-style and ssh:// addresses of a
 * host are rewritten to https (the pod has no SSH keys), credentials are refused rather than
 * stripped so a token in a remote URL is never sent to the cluster.
 */
export function cloneUrlFromRemote(remote: string): string | undefined {
  const trimmed = remote.trim();
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/)(.+)$/.exec(trimmed);
  const ssh = /^ssh:\/\/(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+)(?::[0-9]+)?\/(.+)$/.exec(trimmed);
  const match = scp ?? ssh;
  const url = match ? `https://${match[1]}/${match[2]}` : trimmed;
  return isRepoUrl(url) ? url : undefined;
}

/** Kubernetes object names: DNS-1123 labels of at most 63 characters. */
export function isDnsLabel(value: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value);
}
