// A hot loop V8 optimises while it runs (interpreter, then optimised code replacing it on the
// stack), typed arrays, doubles and a worker thread: the printed digests must equal native's.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

function mix(n, seed) {
  let h = seed >>> 0;
  const f = new Float64Array(1024);
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i | 0;
    f[i & 1023] += Math.sqrt((h >>> 0) / 4294967296) * 1.5e-3;
  }
  let s = 0;
  for (const x of f) s += x;
  return (h >>> 0).toString(16) + ' ' + s.toFixed(9);
}

if (isMainThread) {
  const n = Number(process.argv[2] || 2000000);
  const w = new Worker(__filename, { workerData: { n, seed: 7 } });
  w.on('message', (m) => {
    console.log('worker ' + m);
    console.log('main ' + mix(n, 11));
  });
} else {
  parentPort.postMessage(mix(workerData.n, workerData.seed));
}
