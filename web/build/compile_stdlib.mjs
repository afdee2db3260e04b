// Byte-compiles the trimmed standard library with the browser's own Python: the pinned
// Pyodide of node_modules, in Node, runs compile_stdlib.py on the zip (stdlib.py calls
// `node compile_stdlib.mjs <Pyodide's folder> <source zip> <target zip>`).
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [folder, source, target] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${folder}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${folder}/` });
pyodide.FS.writeFile("/tmp/source.zip", readFileSync(source));
pyodide.runPython(readFileSync(new URL("./compile_stdlib.py", import.meta.url), "utf-8"));
writeFileSync(target, pyodide.FS.readFile("/tmp/target.zip"));
