// torch.nn modules: registration order and names, containers, state_dict round trips and
// load errors, train/eval, reprs, Linear's initialisation, and the book's chapter-6 model
// trained with SGD. Expected values were printed by PyTorch 1.13 (/usr/bin/python3).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import { torch } from '../src/engine/torch.js';
import * as nn from '../src/engine/nn/index.js';
import { Tensor } from '../src/engine/tensor.js';

type Nested = number | Nested[];

function assertExact(actual: Tensor | null, expected: Nested): void {
  assert.ok(actual, 'expected a tensor');
  const f32 = (v: Nested): Nested => (Array.isArray(v) ? v.map(f32) : Math.fround(v));
  assert.deepEqual(actual.tolist(), f32(expected));
}

function assertClose(actual: Tensor | number, expected: Nested, rtol = 1e-5): void {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
  const a = actual instanceof Tensor ? flat(actual.tolist()) : [actual];
  const e = flat(expected);
  assert.equal(a.length, e.length, 'number of values');
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]!) <= 1e-6 + rtol * Math.abs(e[i]!), `element ${i}: got ${v}, expected ${e[i]}`));
}

const names = (pairs: [string, unknown][]) => pairs.map(([n]) => n);

/** The chapter-6 model, with the names of the book's OrderedDict. */
function bookModel() {
  return new nn.Sequential([
    ['hidden_linear', new nn.Linear(1, 8)],
    ['hidden_activation', new nn.Tanh()],
    ['output_linear', new nn.Linear(8, 1)],
  ]);
}

class Net extends nn.Module {
  hidden = new nn.Linear(1, 8);
  act = new nn.Tanh();
  out = new nn.Sequential(new nn.Linear(8, 4), new nn.ReLU(), new nn.Linear(4, 1));
  scale = new nn.Parameter(torch.ones(1));

  override forward(x: Tensor): Tensor {
    return this.out.call(this.act.call(this.hidden.call(x))).mul(this.scale);
  }
}

describe('registration', () => {
  test('submodules and parameters assigned as class fields register in assignment order', () => {
    const net = new Net();
    assert.deepEqual(names(net.named_parameters()), ['scale', 'hidden.weight', 'hidden.bias', 'out.0.weight', 'out.0.bias', 'out.2.weight', 'out.2.bias']);
    assert.deepEqual(names(net.named_children()), ['hidden', 'act', 'out']);
  });

  test('assignments in a constructor register like Python\'s __setattr__', () => {
    class Model extends nn.Module {
      declare second: nn.Linear;
      declare first: nn.Linear;
      constructor() {
        super();
        this.second = new nn.Linear(2, 2);
        this.first = new nn.Linear(2, 1);
      }
    }
    assert.deepEqual(names(new Model().named_parameters()), ['second.weight', 'second.bias', 'first.weight', 'first.bias']);
  });

  test('plain tensors and other values are not registered', () => {
    class Model extends nn.Module {
      w = torch.ones(2, { requires_grad: true });
      n = 3;
      lin = new nn.Linear(2, 1);
    }
    assert.deepEqual(names(new Model().named_parameters()), ['lin.weight', 'lin.bias']);
  });

  test('named_modules lists the tree depth first with dotted names, this module first', () => {
    assert.deepEqual(names(new Net().named_modules()), ['', 'hidden', 'act', 'out', 'out.0', 'out.1', 'out.2']);
    assert.equal(new Net().modules().length, 7);
  });

  test('a module or parameter shared under two names is listed once', () => {
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(shared, new nn.Tanh(), shared);
    assert.deepEqual(names(seq.named_parameters()), ['0.weight', '0.bias']);
    assert.deepEqual(names(seq.named_children()), ['0', '1']);
    assert.equal(seq.parameters().length, 2);
  });

  test('register_parameter and add_module define attributes under the given names', () => {
    const m = new nn.Module();
    m.register_parameter('w', new nn.Parameter(torch.zeros(3)));
    m.add_module('act', new nn.Tanh());
    m.register_parameter('b', null);
    assert.deepEqual(names(m.named_parameters()), ['w']);
    assert.deepEqual(names(m.named_children()), ['act']);
    assert.ok((m as unknown as { act: nn.Module }).act instanceof nn.Tanh);
  });

  test('registration errors carry PyTorch\'s messages', () => {
    const m = new nn.Linear(1, 2);
    assert.throws(() => m.register_parameter('a.b', null), { name: 'KeyError', message: 'parameter name can\'t contain "."' });
    assert.throws(() => m.register_parameter('', null), { name: 'KeyError', message: 'parameter name can\'t be empty string ""' });
    assert.throws(() => m.register_parameter('train', null), { name: 'KeyError', message: "attribute 'train' already exists" });
    assert.throws(() => m.register_parameter('w', torch.ones(2) as nn.Parameter), {
      name: 'TypeError',
      message: "cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or None required)",
    });
    assert.throws(() => m.add_module('x', torch.ones(2) as unknown as nn.Module), { name: 'TypeError', message: 'torch.FloatTensor is not a Module subclass' });
    assert.throws(() => m.add_module('weight', new nn.Tanh()), { name: 'KeyError', message: "attribute 'weight' already exists" });
    assert.throws(() => m.add_module('a.b', new nn.Tanh()), { name: 'KeyError', message: 'module name can\'t contain ".", got: a.b' });
  });

  test('a module without forward raises NotImplementedError when called', () => {
    assert.throws(() => new nn.Module().call(torch.ones(1)), { name: 'NotImplementedError', message: 'Module [Module] is missing the required "forward" function' });
  });

  test('get_submodule and get_parameter follow dotted paths', () => {
    const net = new Net();
    assert.equal(net.get_submodule('out.2'), net.out.get(2));
    assert.equal(net.get_parameter('out.0.bias'), (net.out.get(0) as nn.Linear).bias);
    assert.throws(() => net.get_submodule('nope'), { name: 'AttributeError', message: 'Net has no attribute `nope`' });
  });

  test('forward hooks see the inputs and output, and can be removed', () => {
    const lin = new nn.Linear(2, 1);
    const seen: number[][] = [];
    const handle = lin.register_forward_hook((_m, inputs, output) => void seen.push([(inputs[0] as Tensor).numel(), (output as Tensor).numel()]));
    lin.call(torch.ones(3, 2));
    handle.remove();
    lin.call(torch.ones(3, 2));
    assert.deepEqual(seen, [[6, 3]]);
  });
});

describe('Parameter', () => {
  test('a Parameter shares the tensor\'s storage and requires grad by default', () => {
    const t = torch.tensor([1, 2]);
    const p = new nn.Parameter(t);
    assert.ok(p instanceof Tensor);
    assert.equal(p.requires_grad, true);
    assert.equal(p.is_leaf, true);
    torch.no_grad(() => p.mul_(10));
    assert.deepEqual(t.tolist(), [10, 20]);
  });

  test('a Parameter can be created without grad; integer data cannot require grad', () => {
    assert.equal(new nn.Parameter(torch.ones(1), false).requires_grad, false);
    assert.throws(() => new nn.Parameter(torch.tensor([1n, 2n])), { message: /^Only Tensors of floating point and complex dtype can require gradients/ });
  });

  test('results of ops on a Parameter are plain tensors', () => {
    const p = new nn.Parameter(torch.ones(2));
    assert.ok(!(p.mul(2) instanceof nn.Parameter));
    assert.ok(!(p.detach() instanceof nn.Parameter));
  });

  test('a Parameter prints as "Parameter containing:" and the tensor', () => {
    assert.equal(String(new nn.Parameter(torch.ones(2))), 'Parameter containing:\ntensor([1., 1.], requires_grad=True)');
    assert.equal(inspect(new nn.Parameter(torch.ones(2), false)), 'Parameter containing:\ntensor([1., 1.])');
  });
});

describe('Sequential', () => {
  test('positional modules are named 0, 1, 2 (parameters 0.weight, 0.bias, 2.weight, 2.bias)', () => {
    const seq = new nn.Sequential(new nn.Linear(1, 13), new nn.Tanh(), new nn.Linear(13, 1));
    assert.deepEqual(
      seq.named_parameters().map(([n, p]) => [n, p.shape]),
      [['0.weight', [13, 1]], ['0.bias', [13]], ['2.weight', [1, 13]], ['2.bias', [1]]],
    );
    assert.deepEqual(seq.parameters().map((p) => p.numel()), [13, 13, 13, 1]);
    assert.deepEqual(seq.children().map((m) => m.constructor.name), ['Linear', 'Tanh', 'Linear']);
  });

  test('a Map (Python\'s OrderedDict) or [name, module] pairs give the names', () => {
    const fromMap = new nn.Sequential(
      new Map<string, nn.Module>([
        ['hidden_linear', new nn.Linear(1, 8)],
        ['hidden_activation', new nn.Tanh()],
        ['output_linear', new nn.Linear(8, 1)],
      ]),
    );
    const expected = ['hidden_linear.weight', 'hidden_linear.bias', 'output_linear.weight', 'output_linear.bias'];
    assert.deepEqual(names(fromMap.named_parameters()), expected);
    assert.deepEqual(names(bookModel().named_parameters()), expected);
  });

  test('submodules are reachable by position, by name and as typed properties', () => {
    const seq = bookModel();
    assert.equal(seq.get(0), seq.hidden_linear);
    assert.equal(seq.get(-1), seq.output_linear);
    assert.equal(seq.get('hidden_activation'), seq.hidden_activation);
    assert.deepEqual(seq.output_linear.weight.shape, [1, 8]);
    assert.equal(seq.length, 3);
    assert.deepEqual([...seq].map((m) => m.constructor.name), ['Linear', 'Tanh', 'Linear']);
  });

  test('indexing out of range raises IndexError as Python does', () => {
    const seq = new nn.Sequential(new nn.Tanh());
    assert.throws(() => seq.get(5), { name: 'IndexError', message: 'index 5 is out of range' });
    assert.throws(() => seq.get(-2), { name: 'IndexError', message: 'index -2 is out of range' });
  });

  test('non-modules are rejected with PyTorch\'s message', () => {
    assert.throws(() => new nn.Sequential(3 as unknown as nn.Module), { name: 'TypeError', message: 'int is not a Module subclass' });
  });

  test('call runs the modules in order', () => {
    const seq = bookModel();
    const x = torch.tensor([[0.5], [1.5]]);
    const manual = seq.output_linear.call(seq.hidden_activation.call(seq.hidden_linear.call(x)));
    assert.deepEqual(seq.call(x).tolist(), manual.tolist());
    assert.deepEqual(seq.forward(x).tolist(), manual.tolist());
  });

  test('slice keeps the names, set replaces a module, append adds one at the end', () => {
    const seq = bookModel();
    const head = seq.slice(0, 2);
    assert.deepEqual(names(head.named_children()), ['hidden_linear', 'hidden_activation']);
    assert.equal(head.get(0), seq.get(0));
    const relu = new nn.ReLU();
    seq.set(1, relu);
    assert.equal(seq.hidden_activation, relu);
    const s2 = new nn.Sequential(new nn.Tanh()).append(new nn.ReLU());
    assert.deepEqual(names(s2.named_children()), ['0', '1']);
  });
});

describe('state_dict', () => {
  test('state_dict lists parameters in registration order, detached but sharing storage', () => {
    const seq = bookModel();
    const sd = seq.state_dict();
    assert.deepEqual(Object.keys(sd), ['hidden_linear.weight', 'hidden_linear.bias', 'output_linear.weight', 'output_linear.bias']);
    const w = sd['hidden_linear.weight']!;
    assert.equal(w.requires_grad, false);
    assert.ok(!(w instanceof nn.Parameter));
    torch.no_grad(() => seq.hidden_linear.weight.fill_(7));
    assert.deepEqual(w.tolist(), Array.from({ length: 8 }, () => [7]));
  });

  test('loss weights are buffers, saved in state_dict', () => {
    assert.deepEqual(Object.keys(new nn.CrossEntropyLoss({ weight: torch.ones(2) }).state_dict()), ['weight']);
    assert.deepEqual(Object.keys(new nn.BCEWithLogitsLoss({ weight: torch.ones(2), pos_weight: torch.ones(2) }).state_dict()), ['weight', 'pos_weight']);
    assert.deepEqual(Object.keys(new nn.CrossEntropyLoss().state_dict()), []);
  });

  test('non-persistent buffers are left out of state_dict', () => {
    const m = new nn.Module();
    m.register_buffer('kept', torch.zeros(1));
    m.register_buffer('scratch', torch.zeros(1), { persistent: false });
    assert.deepEqual(Object.keys(m.state_dict()), ['kept']);
    assert.deepEqual(names(m.named_buffers()), ['kept', 'scratch']);
  });

  test('load_state_dict copies values into the same Parameter objects', () => {
    const a = bookModel();
    const b = bookModel();
    const weight = b.hidden_linear.weight;
    const result = b.load_state_dict(a.state_dict());
    assert.deepEqual(result, { missing_keys: [], unexpected_keys: [] });
    assert.equal(b.hidden_linear.weight, weight);
    for (const [name, t] of Object.entries(a.state_dict())) assert.deepEqual(b.state_dict()[name]!.tolist(), t.tolist());
  });

  test('load_state_dict accepts a Map as well as a plain object', () => {
    const lin = new nn.Linear(1, 1);
    lin.load_state_dict(new Map([['weight', torch.tensor([[2]])], ['bias', torch.tensor([3])]]));
    assert.deepEqual([lin.weight.item(), lin.bias!.item()], [2, 3]);
  });

  test('missing, unexpected and mis-shaped keys raise PyTorch\'s error text', () => {
    const seq = new nn.Sequential(new nn.Linear(1, 2), new nn.Tanh());
    assert.throws(
      () => seq.load_state_dict({ '0.weight': torch.ones(3, 1), x: torch.ones(1), '1.y': torch.ones(1) }),
      (e: Error) => {
        assert.equal(e.name, 'RuntimeError');
        const pytorch =
          'Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: "0.bias". \n\tUnexpected key(s) in state_dict: "x", "1.y". \n\tsize mismatch for 0.weight: copying a param with shape torch.Size([3, 1]) from checkpoint, the shape in current model is torch.Size([2, 1]).';
        assert.ok(e.message.startsWith(pytorch + '\n'), e.message);
        return true;
      },
    );
  });

  test('with strict false, missing and unexpected keys are reported instead of raised', () => {
    const seq = new nn.Sequential(new nn.Linear(1, 2), new nn.Tanh());
    const result = seq.load_state_dict({ '0.weight': torch.ones(2, 1), x: torch.ones(1) }, { strict: false });
    assert.deepEqual(result, { missing_keys: ['0.bias'], unexpected_keys: ['x'] });
    assert.deepEqual(seq.get(0) instanceof nn.Linear && (seq.get(0) as nn.Linear).weight.tolist(), [[1], [1]]);
  });

  test('a value that is not a tensor is reported as PyTorch reports it', () => {
    const lin = new nn.Linear(1, 2);
    assert.throws(() => lin.load_state_dict({ weight: 3 as unknown as Tensor, bias: torch.ones(2) }), {
      message: 'Error(s) in loading state_dict for Linear:\n\tWhile copying the parameter named "weight", expected torch.Tensor or Tensor-like object from checkpoint but received <class \'int\'>',
    });
    assert.throws(() => lin.load_state_dict([1] as unknown as nn.StateDict), { name: 'TypeError', message: "Expected state_dict to be dict-like, got <class 'list'>." });
  });
});

describe('modes, gradients and dtypes', () => {
  test('train() and eval() set training on the whole tree', () => {
    const net = new Net();
    assert.equal(net.training, true);
    net.eval();
    assert.deepEqual(net.modules().map((m) => m.training), [false, false, false, false, false, false, false]);
    net.train();
    assert.equal(net.out.get(1).training, true);
    assert.throws(() => net.train('x' as unknown as boolean), { name: 'ValueError', message: 'training mode is expected to be boolean' });
  });

  test('zero_grad sets gradients to null by default, or zeroes them in place', () => {
    const lin = new nn.Linear(2, 1);
    lin.call(torch.ones(1, 2)).sum().backward();
    const grad = lin.weight.grad!;
    lin.zero_grad({ set_to_none: false });
    assert.equal(lin.weight.grad, grad);
    assert.deepEqual(grad.tolist(), [[0, 0]]);
    lin.zero_grad();
    assert.equal(lin.weight.grad, null);
  });

  test('requires_grad_(false) freezes every parameter', () => {
    const seq = bookModel().requires_grad_(false);
    assert.ok(seq.parameters().every((p) => !p.requires_grad));
  });

  test('apply visits children before the module itself', () => {
    const visited: string[] = [];
    bookModel().apply((m) => void visited.push(m.constructor.name));
    assert.deepEqual(visited, ['Linear', 'Tanh', 'Linear', 'Sequential']);
  });

  test('double() and float() convert parameters in place, keeping the Parameter objects', () => {
    const seq = bookModel();
    const w = seq.hidden_linear.weight;
    seq.double();
    assert.equal(seq.hidden_linear.weight, w);
    assert.equal(w.dtype, torch.float64);
    assert.equal(seq.call(torch.ones(2, 1, { dtype: torch.float64 })).dtype, torch.float64);
    seq.float();
    assert.equal(w.dtype, torch.float32);
  });
});

describe('repr', () => {
  test('a Sequential with OrderedDict names prints as PyTorch prints it', () => {
    assert.equal(
      String(bookModel()),
      'Sequential(\n  (hidden_linear): Linear(in_features=1, out_features=8, bias=True)\n  (hidden_activation): Tanh()\n  (output_linear): Linear(in_features=8, out_features=1, bias=True)\n)',
    );
  });

  test('nested modules are indented as in PyTorch, and console.log prints the repr', () => {
    const expected =
      'Net(\n  (hidden): Linear(in_features=1, out_features=8, bias=True)\n  (act): Tanh()\n  (out): Sequential(\n    (0): Linear(in_features=8, out_features=4, bias=True)\n    (1): ReLU()\n    (2): Linear(in_features=4, out_features=1, bias=True)\n  )\n)';
    assert.equal(new Net().toString(), expected);
    assert.equal(inspect(new Net()), expected);
  });

  test('layers print their settings as PyTorch does', () => {
    assert.equal(String(new nn.Linear(3, 2, { bias: false })), 'Linear(in_features=3, out_features=2, bias=False)');
    assert.equal(String(new nn.LeakyReLU(0.2, true)), 'LeakyReLU(negative_slope=0.2, inplace=True)');
    assert.equal(String(new nn.LeakyReLU()), 'LeakyReLU(negative_slope=0.01)');
    assert.equal(String(new nn.ReLU(true)), 'ReLU(inplace=True)');
    assert.equal(String(new nn.Softmax({ dim: 1 })), 'Softmax(dim=1)');
    assert.equal(String(new nn.LogSoftmax()), 'LogSoftmax(dim=None)');
    assert.equal(String(new nn.Flatten()), 'Flatten(start_dim=1, end_dim=-1)');
    assert.equal(String(new nn.Identity()), 'Identity()');
    assert.equal(String(new nn.CrossEntropyLoss({ weight: torch.ones(2) })), 'CrossEntropyLoss()');
    assert.equal(String(new nn.MSELoss()), 'MSELoss()');
  });
});

describe('Linear', () => {
  test('weight is [out, in] and bias [out], both Parameters requiring grad', () => {
    const lin = new nn.Linear(3, 2);
    assert.deepEqual(lin.named_parameters().map(([n, p]) => [n, p.shape, p.requires_grad]), [['weight', [2, 3], true], ['bias', [2], true]]);
    assert.equal(new nn.Linear(3, 2, false).bias, null);
    assert.deepEqual(names(new nn.Linear(3, 2, { bias: false }).named_parameters()), ['weight']);
  });

  test('default initialisation stays within ±1/√in_features', () => {
    const lin = new nn.Linear(16, 64);
    assert.ok(lin.weight.abs().max().item() <= 0.25);
    assert.ok(lin.bias!.abs().max().item() <= 0.25);
    assert.ok(lin.weight.abs().max().item() > 0.2);
  });

  test('with torch.manual_seed(0), Linear(1, 8) and Linear(3, 2) get PyTorch\'s exact weights', () => {
    torch.manual_seed(0);
    const a = new nn.Linear(1, 8);
    assertExact(a.weight, [[-0.00748682], [0.5364436], [-0.82304513], [-0.735939], [-0.38515437], [0.26815736], [-0.01981318], [0.7928895]]);
    assertExact(a.bias, [-0.088744044, 0.26461256, -0.30221307, -0.19656539, -0.9553485, -0.6622821, -0.4122231, 0.03704357]);
    torch.manual_seed(0);
    const b = new nn.Linear(3, 2);
    assertExact(b.weight, [[-0.0043225177, 0.30971584, -0.47518533], [-0.4248946, -0.22236897, 0.15482073]]);
    assertExact(b.bias, [-0.011439145, 0.45777494]);
  });

  test('forward is x Wᵀ + b through addmm, with PyTorch\'s result', () => {
    torch.manual_seed(0);
    const lin = new nn.Linear(3, 2);
    const y = lin.call(torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]]));
    assert.equal(y.grad_fn?.name(), 'AddmmBackward0');
    assertClose(y, [[-0.82188594, 0.052604556], [0.028944954, 0.8101902]], 1e-6);
  });

  test('dtype option creates float64 parameters', () => {
    assert.equal(new nn.Linear(2, 2, { dtype: torch.float64 }).weight.dtype, torch.float64);
  });
});

describe('activation and loss modules', () => {
  test('activation modules compute their functional forms', () => {
    const x = torch.tensor([[-1.0, 0.5], [2.0, -3.0]]);
    assert.deepEqual(new nn.Tanh().call(x).tolist(), x.tanh().tolist());
    assert.deepEqual(new nn.Sigmoid().call(x).tolist(), x.sigmoid().tolist());
    assert.deepEqual(new nn.ReLU().call(x).tolist(), [[0, 0.5], [2, 0]]);
    assert.deepEqual(new nn.LeakyReLU(0.5).call(x).tolist(), [[-0.5, 0.5], [2, -1.5]]);
    assert.deepEqual(new nn.Softmax(1).call(x).tolist(), nn.functional.softmax(x, 1).tolist());
    assert.deepEqual(new nn.LogSoftmax({ dim: 0 }).call(x).tolist(), nn.functional.log_softmax(x, 0).tolist());
    assert.equal(new nn.Identity(54, { unused: true }).call(x), x);
    assert.deepEqual(new nn.Flatten().call(torch.ones(2, 3, 4)).shape, [2, 12]);
    assert.deepEqual(new nn.Flatten(0).call(torch.ones(2, 3, 4)).shape, [24]);
  });

  test('loss modules keep their options and pass them to the functional forms', () => {
    const x = torch.tensor([[1.0, 2.0, 0.5]], { requires_grad: true });
    const y = torch.tensor([2n]);
    const ce = new nn.CrossEntropyLoss({ reduction: 'sum', label_smoothing: 0.1, ignore_index: 5 });
    assert.equal(ce.reduction, 'sum');
    assert.equal(ce.label_smoothing, 0.1);
    assert.equal(ce.ignore_index, 5);
    assert.equal(ce.call(x, y).item(), nn.functional.cross_entropy(x, y, { reduction: 'sum', label_smoothing: 0.1 }).item());
    assert.equal(new nn.NLLLoss(torch.ones(3)).weight?.numel(), 3);
    assert.equal(new nn.MSELoss({ reduction: 'none' }).call(torch.ones(2), torch.zeros(2)).shape[0], 2);
    assert.equal(new nn.L1Loss().call(torch.ones(2), torch.zeros(2)).item(), 1);
    assert.equal(new nn.BCELoss().call(torch.tensor([0.5]), torch.tensor([1.0])).grad_fn, null);
    assert.ok(new nn.BCEWithLogitsLoss({ pos_weight: torch.tensor([2.0]) }).pos_weight instanceof Tensor);
  });
});

describe('the chapter-6 model', () => {
  const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]).unsqueeze(1);
  const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).unsqueeze(1);
  const t_un = t_u.mul(0.1);

  test('torch.manual_seed(42) initialises the OrderedDict model with PyTorch\'s exact parameters', () => {
    torch.manual_seed(42);
    const sd = bookModel().state_dict();
    assertExact(sd['hidden_linear.weight']!, [[0.7645385], [0.8300079], [-0.23427248], [0.9186113], [-0.21910357], [0.20179069], [-0.48685503], [0.58728266]]);
    assertExact(sd['hidden_linear.bias']!, [0.8815429, -0.73362815, 0.8691962, 0.1871593, 0.7388089, 0.13543057, 0.4821881, -0.141191]);
    assertExact(sd['output_linear.weight']!, [[0.2725493, 0.05225834, -0.16505283, 0.09012016, -0.162895, -0.041462213, -0.14359865, 0.23453705]]);
    assertExact(sd['output_linear.bias']!, [-0.2790845]);
  });

  test('1000 SGD steps (lr 1e-3, MSELoss) follow PyTorch\'s loss curve and end at its parameters', () => {
    torch.manual_seed(42);
    const seq_model = bookModel();
    const loss_fn = new nn.MSELoss();
    const losses = new Map<number, number>();
    for (let epoch = 1; epoch <= 1000; epoch++) {
      const t_p = seq_model.call(t_un);
      const loss = loss_fn.call(t_p, t_c);
      seq_model.zero_grad();
      loss.backward();
      if (epoch === 1) {
        assertClose(seq_model.output_linear.weight.grad!, [[-19.878292, -20.005438, 11.151782, -19.887907, 11.62052, -17.756813, 19.844492, -19.939583]]);
        assertClose(seq_model.hidden_linear.bias!.grad!, [0.004076217, 0.012340849, 2.2229223, 0.0030485713, 2.1145518, 0.1678013, 0.02968248, 0.02631934], 1e-4);
      }
      // optimizer.step() of SGD without momentum, written out: p -= lr * p.grad
      torch.no_grad(() => {
        for (const p of seq_model.parameters()) p.sub_(p.grad!.mul(1e-3));
      });
      losses.set(epoch, loss.item());
    }
    const pytorch: [number, number][] = [[1, 173.8180694580078], [2, 170.50559997558594], [10, 146.76846313476562], [100, 62.841819763183594], [500, 11.961599349975586], [1000, 5.35630464553833]];
    for (const [epoch, value] of pytorch) assertClose(losses.get(epoch)!, value);
    const sd = seq_model.state_dict();
    assertClose(sd['hidden_linear.weight']!, [[0.72026], [0.37861696], [-0.41513416], [0.8412287], [-0.39702147], [0.4029655], [-0.36763355], [0.32259765]]);
    assertClose(sd['output_linear.weight']!, [[2.4816678, 3.0668054, -3.4171689, 2.3066113, -3.3231518, 2.4685225, -3.1944818, 2.9786823]]);
    assertClose(sd['output_linear.bias']!, [1.9232498]);
    assertClose(seq_model.call(torch.tensor([[3.57]])), [[1.2751875]]);
  });

  test('the loss graph ends in MseLossBackward0 fed by AddmmBackward0', () => {
    const loss = new nn.MSELoss().call(bookModel().call(t_un), t_c);
    assert.equal(loss.grad_fn?.name(), 'MseLossBackward0');
    assert.equal(loss.grad_fn?.next_functions[0]?.[0]?.name(), 'AddmmBackward0');
  });
});
