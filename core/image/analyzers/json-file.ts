/** A JSON file from a layer, parsed; the error names the file (layers are untrusted input). */
export function parseJsonFile(file: { path: string; content: Buffer }): unknown {
  try {
    return JSON.parse(file.content.toString('utf8'));
  } catch (error) {
    throw new Error(`${file.path} is not valid JSON: ${(error as Error).message}`);
  }
}
