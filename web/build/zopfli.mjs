// Gzip copies with zopfli (node_modules/@gfx/zopfli, pinned in package-lock.json): the
// gzip format every browser and DecompressionStream reads, 3–6 % smaller than gzip -9.
// compress.py calls `node zopfli.mjs <iterations> <source> <target> [<source> <target> …]`.
import { gzipAsync } from "@gfx/zopfli";
import { readFile, writeFile } from "node:fs/promises";

const [iterations, ...paths] = process.argv.slice(2);
for (let i = 0; i < paths.length; i += 2) {
  const packed = await gzipAsync(await readFile(paths[i]), { numiterations: Number(iterations) });
  await writeFile(paths[i + 1], packed);
}
