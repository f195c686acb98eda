import { connect, createServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import { connect as netConnect } from "node:net";

/**
 * Just enough protobuf and gRPC for the kubelet's device plugin API (a handful of messages of strings,
 * bools and nested messages), on node:http2: no code generation and no dependency for a few fields.
 */

/** A decoded protobuf field: a varint, or the bytes of a length-delimited one (string, message). */
export type ProtoField = { field: number; varint: bigint } | { field: number; bytes: Buffer };

function varint(value: number | bigint): Buffer {
  const bytes: number[] = [];
  let v = BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

/** Encodes fields in order: strings and messages (Buffer) length-delimited, booleans as varints. */
export function encode(fields: readonly [number, string | Buffer | boolean][]): Buffer {
  return Buffer.concat(
    fields.flatMap(([field, value]) => {
      if (typeof value === "boolean") return [varint(field << 3), varint(value ? 1 : 0)];
      const bytes = typeof value === "string" ? Buffer.from(value) : value;
      return [varint((field << 3) | 2), varint(bytes.length), bytes];
    }),
  );
}

export function decode(message: Buffer): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = message[at++];
      if (byte === undefined) throw new Error("truncated protobuf varint");
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < message.length) {
    const key = Number(readVarint());
    const field = key >> 3;
    switch (key & 7) {
      case 0:
        fields.push({ field, varint: readVarint() });
        break;
      case 2: {
        const length = Number(readVarint());
        fields.push({ field, bytes: message.subarray(at, at + length) });
        at += length;
        break;
      }
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
  return fields;
}

/** A gRPC message on the wire: not compressed, its length, its bytes. */
export function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** Splits what a stream carried into its messages. */
export function unframe(data: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  for (let at = 0; at + 5 <= data.length;) {
    const length = data.readUInt32BE(at + 1);
    messages.push(data.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return messages;
}

/** A method's handler: the request's messages in, its responses out through `send`. */
export type GrpcHandler = (
  requests: Buffer[],
  send: (message: Buffer) => void,
  stream: ServerHttp2Stream,
) => "done" | "streaming";

/** A gRPC server on a unix socket: each path (`/pkg.Service/Method`) to its handler. */
export function serveGrpc(socket: string, handlers: Record<string, GrpcHandler>): Promise<Http2Server> {
  const server = createServer();
  server.on("stream", (stream, headers) => {
    const handler = handlers[String(headers[":path"])];
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      if (!handler) {
        stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12" });
        stream.end();
        return;
      }
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      const send = (message: Buffer): void => void stream.write(frame(message));
      if (handler(unframe(Buffer.concat(chunks)), send, stream) === "done") stream.end();
    });
    stream.on("error", () => {});
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () => resolve(server));
  });
}

/** One unary call to a gRPC server on a unix socket; rejects unless it answers grpc-status 0. */
export function callGrpc(socket: string, path: string, request: Buffer): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const client = connect("http://localhost", { createConnection: () => netConnect(socket) });
    client.on("error", reject);
    const call = client.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
    });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let message = "";
    const note = (headers: Record<string, string | string[] | undefined>): void => {
      const [code, text] = [headers["grpc-status"], headers["grpc-message"]];
      if (code !== undefined) status = String(code);
      if (text !== undefined) message = decodeURIComponent(String(text));
    };
    call.on("response", note);
    call.on("trailers", note);
    call.on("data", (chunk: Buffer) => chunks.push(chunk));
    call.on("error", reject);
    call.on("close", () => {
      client.close();
      if (status === "0") resolve(unframe(Buffer.concat(chunks)));
      else reject(new Error(`${path}: grpc-status ${status ?? "missing"} ${message}`.trim()));
    });
    call.end(frame(request));
  });
}
