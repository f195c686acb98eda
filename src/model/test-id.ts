/**
 * Test ids are built from the test's file and its name, as Playwright builds them from file and title,
 * so that editing above a test (or moving it) does not change its id, the label hash on its cluster
 * objects, its artifacts folder or its report history. The location stays on the test for messages
 * and `path:line` selection.
 *
 * `e2e/widget/chainsaw-test.yaml::scale-up`; for a kuttl test case the file is its directory.
 */
export const TEST_ID_SEPARATOR = "::";

export function testId(file: string, name: string): string {
  return `${file}${TEST_ID_SEPARATOR}${name}`;
}

/**
 * Hands out the ids of one file's tests in document order: the first test of a name gets
 * `file::name`, the next ones `file::name#2`, `file::name#3`, so two tests of the same name stay
 * apart, and the same file always gives the same ids.
 */
export class TestIdAllocator {
  private readonly seen = new Map<string, number>();

  constructor(private readonly file: string) {}

  next(name: string): string {
    const count = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, count);
    const id = testId(this.file, name);
    return count === 1 ? id : `${id}#${count}`;
  }
}

/** `file::name` → its file and the rest; undefined for an argument that holds no test id. */
export function splitTestId(id: string): { file: string; name: string } | undefined {
  const at = id.indexOf(TEST_ID_SEPARATOR);
  if (at <= 0) return undefined;
  return { file: id.slice(0, at), name: id.slice(at + TEST_ID_SEPARATOR.length) };
}
