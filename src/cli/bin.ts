import { main } from "./main.ts";

// The executable entry: bin/kubeproof.js loads the compiled copy; tests run this file through tsx.
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
