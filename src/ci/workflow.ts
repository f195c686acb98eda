/**
 * The GitHub Actions workflow `kubeproof ci init` writes: an e2e job that runs a suite on the embedded
 * local cluster on pull requests opted in by a label, nightly and by hand, with the binary cache cached
 * and the reports uploaded and published. Pure text from options; the CLI decides where it goes.
 */

export interface WorkflowOptions {
  /** The pull-request label that opts a pull request in (default `run-e2e`). */
  label: string;
  /** The nightly schedule, five cron fields in UTC (default `0 3 * * *`). */
  cron: string;
  /** The suite, relative to the repository root (files or directories `kubeproof test` takes). */
  suite: string;
  /** false: a failing suite leaves the job green (`continue-on-error`), so it cannot block a merge. */
  blocking: boolean;
  /** How kubeproof comes into the job: the repository's own npm dependency, or a global install. */
  install: { kind: "npm-project" } | { kind: "global"; version: string };
  /** Node.js major version for the job. */
  nodeVersion: string;
  /** Go for a build of the pinned binaries when no release download is reachable. */
  goVersion: string;
}

export const DEFAULT_LABEL = "run-e2e";
export const DEFAULT_CRON = "0 3 * * *";

/** Why `value` cannot be a cron schedule GitHub accepts, or undefined when it can. */
export function cronProblem(value: string): string | undefined {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5)
    return `has ${fields.length} field(s); GitHub's schedule takes 5 (minute hour day month weekday)`;
  const bad = fields.find((field) => !/^[\d*/,\-A-Za-z]+$/.test(field));
  return bad === undefined ? undefined : `field "${bad}" is not a cron field (digits, *, /, -, ,)`;
}

/** Why `value` cannot be a pull-request label in the workflow, or undefined when it can. */
export function labelProblem(value: string): string | undefined {
  if (value.trim() === "") return "is empty";
  if (/[\n\r]/.test(value)) return "has a line break";
  if (value.length > 50) return "is longer than GitHub's 50 characters";
  return undefined;
}

/** A YAML double-quoted scalar. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/** A string literal in a GitHub expression: single quotes, a quote doubled. */
function expressionString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A POSIX shell word for a path the user gave (`e2e`, `test/e2e suites`). */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

export function renderWorkflow(options: WorkflowOptions): string {
  const kubeproof = options.install.kind === "npm-project" ? "npx kubeproof" : "kubeproof";
  const installStep =
    options.install.kind === "npm-project"
      ? ["      - name: Install kubeproof (the repository's npm dependency)", "        run: npm ci"]
      : [
          "      - name: Install kubeproof",
          `        run: npm install --global kubeproof@${options.install.version}`,
        ];
  const cacheKey =
    options.install.kind === "npm-project"
      ? "kubeproof-bin-${{ runner.os }}-${{ runner.arch }}-${{ hashFiles('package-lock.json') }}"
      : `kubeproof-bin-\${{ runner.os }}-\${{ runner.arch }}-${options.install.version}`;
  const lines = [
    "# Written by `kubeproof ci init`; edit freely. It runs the e2e suite on kubeproof's embedded local",
    "# cluster: on pull requests that carry the label below, every night, and from the Actions tab.",
    "name: e2e",
    "",
    "on:",
    "  pull_request:",
    "    # labeled: adding the label starts a run; synchronize: new commits of a labelled pull request.",
    "    types: [opened, synchronize, reopened, labeled]",
    "  schedule:",
    `    - cron: ${quoted(options.cron)}`,
    "  workflow_dispatch: {}",
    "",
    "permissions:",
    "  contents: read",
    "  # The JUnit report is published as a check run.",
    "  checks: write",
    "",
    "concurrency:",
    "  group: e2e-${{ github.event.pull_request.number || github.ref }}",
    "  cancel-in-progress: true",
    "",
    "jobs:",
    "  e2e:",
    // Quoted: a label such as "e2e: please" would otherwise end the plain scalar at its ": ".
    `    if: ${quoted(`github.event_name != 'pull_request' || contains(github.event.pull_request.labels.*.name, ${expressionString(options.label)})`)}`,
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 60",
    ...(options.blocking
      ? []
      : [
          "    # Not blocking: a failing suite is reported, the job stays green.",
          "    continue-on-error: true",
        ]),
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - uses: actions/setup-node@v4",
    "        with:",
    `          node-version: ${quoted(options.nodeVersion)}`,
    "      # Go builds the pinned cluster binaries from Go modules when no release download is reachable.",
    "      - uses: actions/setup-go@v5",
    "        with:",
    `          go-version: ${quoted(options.goVersion)}`,
    "          cache: false",
    "      # The binary cache: etcd, kube-apiserver, kwok, helm... (a cold build takes minutes).",
    "      - uses: actions/cache@v4",
    "        with:",
    "          path: ~/.cache/kubeproof/bin",
    `          key: ${cacheKey}`,
    "          restore-keys: kubeproof-bin-${{ runner.os }}-${{ runner.arch }}-",
    ...installStep,
    "      - name: Install the cluster binaries",
    `        run: ${kubeproof} cluster install`,
    "      - name: Run the e2e suite",
    `        run: ${kubeproof} test ${shellWord(options.suite)} --cluster local --reporter list,junit,github,html --report-dir kubeproof-report`,
    "      - name: Upload the report",
    "        if: always()",
    "        uses: actions/upload-artifact@v4",
    "        with:",
    "          name: kubeproof-report",
    "          path: kubeproof-report/",
    "          if-no-files-found: ignore",
    "      - name: Publish the JUnit report",
    "        if: always()",
    "        uses: mikepenz/action-junit-report@v5",
    "        with:",
    "          report_paths: kubeproof-report/junit.xml",
    "          check_name: e2e results",
    "",
  ];
  return lines.join("\n");
}
