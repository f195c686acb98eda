import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, relative, resolve, sep, isAbsolute } from "node:path";
import type { Command } from "commander";
import { launchProcess } from "../process/index.ts";
import type { CliContext } from "./context.ts";
import { parseInteger, UsageError } from "./errors.ts";

interface ShowReportFlags {
  port: number;
  open?: boolean;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".png": "image/png",
};

/**
 * `kubeproof show-report [dir]`: serves an HTML report (`index.html` and the files it links) on the
 * loopback address until Ctrl-C, like `npx playwright show-report`. Serving rather than opening the
 * file keeps links to large attachments working in browsers that restrict `file://` pages.
 */
export function registerShowReportCommand(program: Command, context: CliContext): void {
  program
    .command("show-report")
    .description("Serve an HTML report (kubeproof test --reporter html) on 127.0.0.1 until Ctrl-C")
    .argument("[dir]", "the report folder", "kubeproof-report")
    .option("--port <n>", "port to listen on (0 picks a free one)", parseInteger("--port", 0, 65535), 9323)
    .option("--open", "also open the page in the default browser (xdg-open or open)")
    .action(async (dir: string, flags: ShowReportFlags) => {
      const root = resolve(dir);
      const index = join(root, "index.html");
      if (!(await isFile(index))) {
        throw new UsageError(
          `${index}: no HTML report there; write one with \`kubeproof test --reporter html --report-dir ${dir}\` (or \`kubeproof gate --reporter html\`)`,
        );
      }
      const server = await listen(root, flags.port);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : flags.port;
      const url = `http://127.0.0.1:${port}/`;
      console.log(`Serving the HTML report of ${root} at ${url}`);
      console.log("Press Ctrl-C to stop.");
      if (flags.open) openBrowser(url);
      await new Promise<void>((done) => {
        if (context.signal.aborted) return done();
        context.signal.addEventListener("abort", () => done(), { once: true });
      });
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function listen(root: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    void serve(root, req.url ?? "/", res);
  });
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      fail(
        error.code === "EADDRINUSE"
          ? new UsageError(`port ${port} is in use: pass --port <n> (or --port 0 for a free one)`)
          : error,
      ),
    );
    server.listen(port, "127.0.0.1", () => done(server));
  });
}

async function serve(root: string, url: string, res: import("node:http").ServerResponse): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, "http://localhost").pathname);
  } catch {
    res.writeHead(400).end("bad path");
    return;
  }
  const file = resolve(root, `.${path.endsWith("/") ? `${path}index.html` : path}`);
  // Only what lies under the report folder is served.
  const rel = relative(root, file);
  if (rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel) || !(await isFile(file))) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
    return;
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  createReadStream(file).pipe(res);
}

function openBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : "xdg-open";
  const child = launchProcess({
    command,
    args: [url],
    stdout: "ignore",
    stderr: "ignore",
    afterExit: "outlive",
  });
  void child.exited.then((exit) => {
    if (exit.error || (exit.code !== 0 && exit.code !== null)) {
      console.error(`could not open a browser (${command}); open ${url} yourself`);
    }
  });
}
