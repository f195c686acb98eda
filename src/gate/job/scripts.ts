/**
 * The two shell scripts of the Job's pod. Both are constants: every value they use (the commit, the
 * repository, the checks) arrives in an environment variable and is only ever expanded in double
 * quotes, so nothing from the repository or the configuration is spliced into shell text. They are
 * POSIX sh (dash, busybox ash, bash) and need only git, mkfifo, tee, grep, sed, tr, cut, date and,
 * to stop a timed-out check's whole process tree, setsid (util-linux or busybox).
 *
 * Environment of the clone script:
 *   KUBEPROOF_REPO, KUBEPROOF_SHA, KUBEPROOF_BRANCH (may be empty), KUBEPROOF_WORKDIR,
 *   KUBEPROOF_CLONE_TIMEOUT (seconds)
 * Environment of the runner:
 *   KUBEPROOF_WORKDIR, KUBEPROOF_KILL_GRACE (seconds), KUBEPROOF_CHECK_COUNT, and per check i:
 *   KUBEPROOF_CHECK_<i>_NAME, _RUN, _TIMEOUT (seconds), _ENV_COUNT, _ENV_<j>_NAME, _ENV_<j>_VALUE
 * Both write their result to KUBEPROOF_RESULT_FILE, default /dev/termination-log.
 */

/** Lines the runner prints around each check's output, so the gate can split the pod log by check. */
export const LOG_MARKER = "##kubeproof-gate##";

/** Where the pod's work happens: an emptyDir. */
export const WORKSPACE_DIR = "/workspace";
export const CHECKOUT_DIR = `${WORKSPACE_DIR}/src`;

const COMMON = String.raw`
result="${"$"}{KUBEPROOF_RESULT_FILE:-/dev/termination-log}"
# Process-group kill when setsid started the process in its own group, else the process alone.
kill_group() { kill -s "$2" -- "-$1" 2>/dev/null || kill -s "$2" "$1" 2>/dev/null; }
mkdir -p "${"$"}{HOME:-/tmp}" "${"$"}{TMPDIR:-/tmp}" 2>/dev/null || :
`;

export const CLONE_SCRIPT = String.raw`set -u
${COMMON}
fail() {
  printf 'kubeproof clone: %s\n' "$1" >&2
  printf '%s' "$1" >"$result"
  exit 1
}
sha="${"$"}{KUBEPROOF_SHA:-}"
repo="${"$"}{KUBEPROOF_REPO:-}"
branch="${"$"}{KUBEPROOF_BRANCH:-}"
dir="${"$"}{KUBEPROOF_WORKDIR:-}"
limit="${"$"}{KUBEPROOF_CLONE_TIMEOUT:-300}"
# The gate validated these already; checked again so the script is safe on its own.
case "$sha" in *[!0-9a-f]*) fail "invalid commit SHA" ;; esac
[ "${"$"}{#sha}" -eq 40 ] || fail "invalid commit SHA"
case "$repo" in ""|-*) fail "invalid repository URL" ;; esac
case "$branch" in -*) fail "invalid branch name" ;; esac
case "$limit" in ""|*[!0-9]*) fail "invalid clone timeout" ;; esac
started=$(date +%s)

# Runs git with what is left of the clone budget.
limited() {
  left=$((limit - ($(date +%s) - started)))
  [ "$left" -gt 0 ] || return 124
  if [ -n "$setsid" ]; then $setsid "$@" & else "$@" & fi
  gitpid=$!
  ( trap 'kill "$s" 2>/dev/null; exit 0' TERM
    sleep "$left" & s=$!; wait "$s" || exit 0
    kill_group "$gitpid" TERM ) >/dev/null 2>&1 &
  dog=$!
  wait "$gitpid"; code=$?
  kill "$dog" 2>/dev/null
  return "$code"
}
if command -v setsid >/dev/null 2>&1; then setsid=setsid; else setsid=; fi

mkdir -p "$dir" || fail "cannot create $dir"
cd "$dir" || fail "cannot enter $dir"
git init -q . || fail "git init failed"
git remote add origin "$repo" || fail "git remote add failed"
if ! limited git -c protocol.version=2 fetch -q --depth 1 --no-tags origin "$sha"; then
  [ -n "$branch" ] || fail "fetching commit $sha from $repo failed; is it pushed?"
  limited git fetch -q --no-tags origin "+refs/heads/$branch:refs/remotes/origin/gate-branch" ||
    fail "fetching $sha and branch $branch from $repo failed; is the commit pushed?"
fi
git -c advice.detachedHead=false checkout -q --detach "$sha" ||
  fail "commit $sha is not on $repo; push it first"
head=$(git rev-parse HEAD) || fail "git rev-parse HEAD failed"
[ "$head" = "$sha" ] || fail "HEAD is $head after checkout, expected $sha"
printf 'kubeproof clone: %s at %s\n' "$repo" "$head"
`;

export const RUNNER_SCRIPT = String.raw`set -u
${COMMON}
marker='${LOG_MARKER}'
grace="${"$"}{KUBEPROOF_KILL_GRACE:-5}"
count="${"$"}{KUBEPROOF_CHECK_COUNT:-0}"
scratch="${"$"}{TMPDIR:-/tmp}/kubeproof-gate"
if command -v bash >/dev/null 2>&1; then shell=bash; else shell=sh; fi
if command -v setsid >/dev/null 2>&1; then setsid=setsid; else setsid=; fi
entries=''
short=''
pid=''
term=0
failed=0

# The value of the variable named $1, failing when it is unset. printenv would do, but busybox
# builds often leave it out (Debian's static one does); $1 is always a name the runner built from
# KUBEPROOF_CHECK_ and numbers, and the value itself is expanded in double quotes only.
getvar() { eval "[ -n \"\${$1+set}\" ] && printf '%s\\n' \"\$$1\""; }

# A JSON string body: one line, control characters dropped, quotes and backslashes escaped.
json() { printf '%s' "$1" | LC_ALL=C tr '\t\r\n' '   ' | LC_ALL=C tr -d '\000-\037\177' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

# The summary is rewritten after every check, so a pod stopped midway still reports what finished.
# Kubernetes keeps 4096 bytes of a termination message: over 4000, the first errors are left out.
write_result() {
  printf '{"v":1,"checks":[%s]}' "$entries" >"$result"
  size=$(wc -c <"$result")
  if [ "$size" -gt 4000 ]; then printf '{"v":1,"checks":[%s],"errorsOmitted":true}' "$short" >"$result"; fi
}

on_term() { term=1; [ -z "$pid" ] || kill_group "$pid" TERM; }
trap on_term TERM INT

mkdir -p "$scratch" || { printf '{"v":1,"checks":[],"error":"cannot create scratch directory"}' >"$result"; exit 1; }
cd "${"$"}{KUBEPROOF_WORKDIR:-.}" || { printf '{"v":1,"checks":[],"error":"no checkout"}' >"$result"; exit 1; }
write_result

i=0
while [ "$i" -lt "$count" ] && [ "$term" = 0 ]; do
  name=$(getvar "KUBEPROOF_CHECK_${"$"}{i}_NAME") || name="check-$i"
  run=$(getvar "KUBEPROOF_CHECK_${"$"}{i}_RUN") || run=false
  secs=$(getvar "KUBEPROOF_CHECK_${"$"}{i}_TIMEOUT") || secs=60
  out="$scratch/$i.log"
  fifo="$scratch/$i.fifo"
  flag="$scratch/$i.timedout"
  rm -f "$out" "$fifo" "$flag"
  mkfifo "$fifo"
  printf '%s begin %s %s\n' "$marker" "$i" "$name"
  start=$(date +%s)
  tee "$out" <"$fifo" &
  teepid=$!
  (
    n=$(getvar "KUBEPROOF_CHECK_${"$"}{i}_ENV_COUNT") || n=0
    j=0
    while [ "$j" -lt "$n" ]; do
      export "$(getvar "KUBEPROOF_CHECK_${"$"}{i}_ENV_${"$"}{j}_NAME")=$(getvar "KUBEPROOF_CHECK_${"$"}{i}_ENV_${"$"}{j}_VALUE")"
      j=$((j + 1))
    done
    exec $setsid "$shell" -c "$run"
  ) >"$fifo" 2>&1 </dev/null &
  pid=$!
  ( trap 'kill "$s" 2>/dev/null; exit 0' TERM
    sleep "$secs" & s=$!; wait "$s" || exit 0
    : >"$flag"
    kill_group "$pid" TERM
    sleep "$grace" & s=$!; wait "$s" || exit 0
    kill_group "$pid" KILL ) >/dev/null 2>&1 &
  dog=$!
  wait "$pid"; code=$?
  # wait returns early when the TERM trap ran; the check was told to stop, wait for it again.
  if [ "$term" = 1 ]; then wait "$pid" 2>/dev/null && code=0 || code=$?; fi
  kill "$dog" 2>/dev/null
  # What the check left running in its group goes with it, so the pipe to tee closes.
  kill_group "$pid" KILL
  pid=''
  wait "$teepid"
  end=$(date +%s)
  timed=false
  if [ -e "$flag" ] || [ "$term" = 1 ]; then timed=true; fi
  printf '\n%s end %s exit=%s\n' "$marker" "$i" "$code"
  err=''
  if [ "$code" != 0 ] || [ "$timed" = true ]; then
    failed=1
    err=$(grep -i -E 'error|fail|panic|fatal|timed? ?out' "$out" | head -n 1 | cut -c 1-200)
    [ -n "$err" ] || err=$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 | cut -c 1-200)
  fi
  base=$(printf '"name":"%s","exitCode":%s,"seconds":%s,"timedOut":%s' "$(json "$name")" "$code" "$((end - start))" "$timed")
  entries="${"$"}{entries:+$entries,}{$base,\"error\":\"$(json "$err")\"}"
  short="${"$"}{short:+$short,}{$base}"
  write_result
  rm -f "$out" "$fifo" "$flag"
  i=$((i + 1))
done
[ "$term" = 0 ] || exit 143
[ "$failed" = 0 ] || exit 1
exit 0
`;
