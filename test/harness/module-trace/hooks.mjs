// Module loader hooks (node:module register) that append the URL of every module Node loads, one a
// line, to the file named by SECO_MODULE_TRACE: which modules a command start evaluates.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  appendFileSync(process.env.SECO_MODULE_TRACE, `${url}\n`);
  return nextLoad(url, context);
}
