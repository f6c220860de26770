import * as tf from '@tensorflow/tfjs';

let ready: Promise<void> | null = null;

/** TensorFlow.js on its cpu backend: the independent oracle for op and layer math. */
export async function tfCpu(): Promise<typeof tf> {
  if (ready === null) {
    // Silence the "install tfjs-node" banner TF.js prints once in Node.
    const log = console.log;
    console.log = () => {};
    ready = tf.setBackend('cpu').then(() => {
      console.log = log;
    });
  }
  await ready;
  return tf;
}

/** The values of a TF.js tensor as a Float32Array. */
export function tfData(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}
