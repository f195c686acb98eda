export type * from "./operation.ts";
export type * from "./probes.ts";
export type * from "./source.ts";
export type * from "./test.ts";
export { formatLocation } from "./source.ts";
export { splitTestId, testId, TestIdAllocator, TEST_ID_SEPARATOR } from "./test-id.ts";
export type * from "./result.ts";
export type * from "./setup.ts";
