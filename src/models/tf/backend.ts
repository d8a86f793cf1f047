import * as tf from '@tensorflow/tfjs';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

let ready: Promise<TfBackendName> | null = null;

/**
 * Picks the fastest TensorFlow.js backend that loads here: tfjs-node (native libtensorflow,
 * an optionalDependency that needs internet to install), else WebAssembly (about 10-20x the
 * pure-JS backend on these models), else the pure-JS cpu backend. TF_BACKEND forces one.
 * Idempotent: every caller shares the first choice.
 */
export function initTfBackend(onChosen?: (backend: TfBackendName, tried: string[]) => void): Promise<TfBackendName> {
  if (!ready) {
    ready = (async () => {
      const forced = process.env.TF_BACKEND as TfBackendName | undefined;
      const tried: string[] = [];
      const attempt = async (name: TfBackendName, load: () => Promise<unknown>): Promise<boolean> => {
        if (forced && forced !== name) return false;
        try {
          await load();
          if (await tf.setBackend(name)) {
            await tf.ready();
            return true;
          }
          tried.push(`${name}: setBackend returned false`);
        } catch (e) {
          tried.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
        }
        return false;
      };
      // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
      const nodePkg = '@tensorflow/tfjs-node';
      let chosen: TfBackendName = 'cpu';
      if (await attempt('tensorflow', () => import(nodePkg))) chosen = 'tensorflow';
      else if (await attempt('wasm', () => import('@tensorflow/tfjs-backend-wasm'))) chosen = 'wasm';
      else {
        await tf.setBackend('cpu');
        await tf.ready();
      }
      onChosen?.(chosen, tried);
      return chosen;
    })();
  }
  return ready;
}

export function currentTfBackend(): string {
  return tf.getBackend();
}

export { tf };
