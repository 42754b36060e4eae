// Chapter 6's nn.Sequential (examples/chapter6/seq-model.ts): the benchmark's (c), a 1→8→1 tanh
// MLP trained with SGD on the 11 thermometer samples. The layers start from the harness's
// weights, so every implementation trains the same network.
import torch, { nn, optim, type Tensor } from 'autograd-lab';
import { bench } from '../harness.mjs';
import { linear_from, type LinearInit } from './linear-from.js';

interface SeqModelData {
  t_c: number[];
  t_u: number[];
  hidden: LinearInit;
  output: LinearInit;
  lr: number;
}

const { size, data } = bench.workload();
const d = data as SeqModelData;
const t_c = torch.tensor(d.t_c).unsqueeze(1);
const t_un = torch.tensor(d.t_u).unsqueeze(1).mul(0.1);

bench.time(() => {
  const seq_model = new nn.Sequential(
    new Map<string, nn.Module>([
      ['hidden_linear', linear_from(d.hidden)],
      ['hidden_activation', new nn.Tanh()],
      ['output_linear', linear_from(d.output)],
    ]),
  );
  const optimizer = new optim.SGD(seq_model.parameters(), { lr: d.lr });
  const loss_fn = new nn.MSELoss();
  let loss: Tensor | null = null;
  for (let epoch = 1; epoch <= size.epochs!; epoch++) {
    const t_p = seq_model.call(t_un) as Tensor;
    loss = loss_fn.call(t_p, t_c);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  return [loss!.item(), ...seq_model.parameters().flatMap((p) => [...p.values()])];
});
