// Reading a request body with a size limit, so an upload larger than the limit is refused while it arrives.
import type { IncomingMessage } from 'node:http';

/** The body, or `undefined` when it grew past `limit` bytes (the rest is not kept). */
export async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  // A copy into a plain ArrayBuffer, which the Fetch API's body types require.
  return new Uint8Array(Buffer.concat(chunks));
}

/** Parses a urlencoded or multipart form body with the platform's own parser (undici's `Response.formData`). */
export async function parseForm(body: Uint8Array<ArrayBuffer>, contentType: string | undefined): Promise<FormData | undefined> {
  try {
    return await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
  } catch {
    return undefined;
  }
}
