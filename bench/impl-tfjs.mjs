// The same workloads on TensorFlow.js (tfjs 4.x), with the cpu backend or the WebAssembly one
// (SIMD, shipped inside @tensorflow/tfjs-backend-wasm). Same shapes, steps and float32 data;
// weights are kept in tfjs's layout ([in, out]) and reported back in PyTorch's ([out, in]).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { probeIndices } from './workloads.mjs';

export async function init(backend) {
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend ${backend} unavailable`);
  await tf.ready();
  return `tfjs ${tf.version.tfjs} (${tf.getBackend()})`;
}

/** [out, in] row-major (PyTorch's Linear weight) → a [in, out] tensor. */
function weightT(init) {
  return tf.tidy(() => tf.tensor2d(init.weight, [init.out, init.in]).transpose());
}

/** A [in, out] weight back to PyTorch's [out, in] layout, flat. */
function torchLayout(w) {
  return Array.from(tf.tidy(() => w.transpose()).dataSync());
}

function disposeAll(...things) {
  for (const t of things) t.dispose();
}

export function setup(id, size, data) {
  if (id === 'sgd' || id === 'adam') {
    const t_c = tf.tensor1d(data.t_c);
    const t_u = tf.tensor1d(data.t_u);
    const input = id === 'sgd' ? tf.mul(t_u, 0.1) : t_u;
    return () => {
      const params = tf.variable(tf.tensor1d([1.0, 0.0]));
      const optimizer = id === 'sgd' ? tf.train.sgd(1e-2) : tf.train.adam(1e-1, 0.9, 0.999, 1e-8);
      let loss = null;
      for (let epoch = 1; epoch <= size.epochs; epoch++) {
        loss?.dispose();
        loss = optimizer.minimize(
          () => {
            const [w, b] = tf.unstack(params);
            return tf.mean(tf.square(tf.sub(tf.add(tf.mul(w, input), b), t_c)));
          },
          true,
          [params],
        );
      }
      const result = [...params.dataSync(), loss.dataSync()[0]];
      disposeAll(loss, params, optimizer);
      return result;
    };
  }
  if (id === 'mlp1') {
    const t_c = tf.tensor2d(data.t_c, [11, 1]);
    const t_un = tf.tidy(() => tf.mul(tf.tensor2d(data.t_u, [11, 1]), 0.1));
    return () => {
      const w1 = tf.variable(weightT(data.hidden));
      const b1 = tf.variable(tf.tensor1d(data.hidden.bias));
      const w2 = tf.variable(weightT(data.output));
      const b2 = tf.variable(tf.tensor1d(data.output.bias));
      const optimizer = tf.train.sgd(data.lr);
      let loss = null;
      for (let epoch = 1; epoch <= size.epochs; epoch++) {
        loss?.dispose();
        loss = optimizer.minimize(
          () => {
            const hidden = tf.tanh(tf.add(tf.matMul(t_un, w1), b1));
            const t_p = tf.add(tf.matMul(hidden, w2), b2);
            return tf.mean(tf.square(tf.sub(t_p, t_c)));
          },
          true,
          [w1, b1, w2, b2],
        );
      }
      const result = [loss.dataSync()[0], ...torchLayout(w1), ...b1.dataSync(), ...torchLayout(w2), ...b2.dataSync()];
      disposeAll(loss, w1, b1, w2, b2, optimizer);
      return result;
    };
  }
  if (id === 'mlp784') {
    const x = tf.tensor2d(data.x, [data.batch, 784]);
    const onehot = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10).toFloat();
    return () => {
      const w1 = tf.variable(weightT(data.fc1));
      const b1 = tf.variable(tf.tensor1d(data.fc1.bias));
      const w2 = tf.variable(weightT(data.fc2));
      const b2 = tf.variable(tf.tensor1d(data.fc2.bias));
      const optimizer = tf.train.sgd(data.lr);
      const losses = [];
      for (let step = 0; step < size.steps; step++) {
        const loss = optimizer.minimize(
          () => {
            const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
            const logits = tf.add(tf.matMul(hidden, w2), b2);
            return tf.losses.softmaxCrossEntropy(onehot, logits);
          },
          true,
          [w1, b1, w2, b2],
        );
        losses.push(loss.dataSync()[0]);
        loss.dispose();
      }
      const result = [losses[0], losses[losses.length - 1], ...b2.dataSync()];
      disposeAll(w1, b1, w2, b2, optimizer);
      return result;
    };
  }
  if (id.startsWith('matmul')) {
    const a = tf.tensor2d(data.a, [data.n, data.n]);
    const b = tf.tensor2d(data.b, [data.n, data.n]);
    const probes = probeIndices(data.n);
    return () => {
      const c = tf.matMul(a, b);
      const values = c.dataSync();
      c.dispose();
      return probes.map((i) => values[i]);
    };
  }
  throw new Error(`unknown workload ${id}`);
}
