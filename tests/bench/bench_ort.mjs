// The ONNX Runtime side of `make bench`: the forward pass of configs A and B
// (tests/bench/bench.cpp), on the model bench_torch.py exports (--export-onnx:
// the PyTorch model with hand-written attention, in evaluation mode, opset 17),
// with the batch it exported next to it (the same B, T and padding as the other
// sides), on 1 and 2 threads. The same JSON records as bench.cpp on stdout,
// impl "ort"; progress on stderr.
//
//   node tests/bench/bench_ort.mjs MODULES MODELS
//     MODULES  the folder that holds node_modules/onnxruntime-node
//              (make bench: npm install --ignore-scripts onnxruntime-node into build/bench/node)
//     MODELS   the folder with A.onnx, A.onnx.json, B.onnx, B.onnx.json
//
// Settings, ONNX Runtime at its best on a CPU: every graph optimization
// (graphOptimizationLevel "all": constant folding, MatMul+Add, LayerNorm and
// GELU fusions, ...), the sequential executor with intraOpNumThreads = the
// thread count, interOpNumThreads 1, its memory arena on. Timed as bench.cpp
// times: warm-up runs, then the median of the timed runs (wall clock), the
// same counts as ours (A: 30 + 200, B: 1 + 5).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import os from "node:os";

const [modules, models] = process.argv.slice(2);
if (!modules || !models) {
  console.error("usage: node tests/bench/bench_ort.mjs MODULES_DIR MODELS_DIR");
  process.exit(2);
}
const require = createRequire(join(resolve(modules), "package.json"));
const ort = require("onnxruntime-node");
const version = require("onnxruntime-node/package.json").version;

const CONFIGS = { A: { warmup: 30, reps: 200 }, B: { warmup: 1, reps: 5 } };

const emit = (record) => process.stdout.write(JSON.stringify(record).replace(/,"/g, ', "').replace(/":/g, '": ') + "\n");

async function timeIt(f, warmup, reps) {
  for (let i = 0; i < warmup; ++i) await f();
  const ms = [];
  for (let i = 0; i < reps; ++i) {
    const t0 = process.hrtime.bigint();
    await f();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const n = ms.length;
  return { median: n % 2 ? ms[(n - 1) / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]), min: ms[0] };
}

emit({ impl: "ort", bench: "meta", load: os.loadavg()[0], version });
for (const [name, counts] of Object.entries(CONFIGS)) {
  const path = join(models, name + ".onnx");
  const batch = JSON.parse(readFileSync(path + ".json", "utf8"));
  const ids = new ort.Tensor("int64", BigInt64Array.from(batch.ids, BigInt), [batch.B, batch.T]);
  const pad = new ort.Tensor("bool", Uint8Array.from(batch.pad), [batch.B, batch.T]);
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(path, {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
      executionMode: "sequential",
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      enableCpuMemArena: true,
    });
    const t = await timeIt(() => session.run({ ids, pad }), counts.warmup, counts.reps);
    const tokens = batch.B * batch.T;
    console.error(`  onnxruntime ${version} config ${name} forward threads=${threads}: ${t.median.toFixed(2).padStart(9)} ms ` +
                  `(${Math.round((tokens / t.median) * 1e3)} tokens/s)`);
    emit({ impl: "ort", bench: "forward", config: name, threads, median_ms: t.median, min_ms: t.min,
           tokens_per_s: (tokens / t.median) * 1e3 });
    await session.release();
  }
}
emit({ impl: "ort", bench: "meta_end", load: os.loadavg()[0] });
