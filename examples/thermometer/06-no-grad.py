# Chapter 5, In [56] and [58]: switch autograd off where no gradient is needed.
import torch
import torch.optim as optim

t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def model(t_u, w, b):
    return w * t_u + b


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c)**2
    return squared_diffs.mean()

# The book's split (see 05-train-validation.py for how it is drawn)
torch.manual_seed(33554659)
shuffled_indices = torch.randperm(t_u.shape[0])
train_indices = shuffled_indices[:-2]
val_indices = shuffled_indices[-2:]
train_t_un = 0.1 * t_u[train_indices]
train_t_c = t_c[train_indices]
val_t_un = 0.1 * t_u[val_indices]
val_t_c = t_c[val_indices]


# In [58]
def training_loop(n_epochs, optimizer, params, train_t_u, val_t_u, train_t_c, val_t_c):
    for epoch in range(1, n_epochs + 1):
        train_t_p = model(train_t_u, *params)
        train_loss = loss_fn(train_t_p, train_t_c)

        with torch.no_grad():
            val_t_p = model(val_t_u, *params)
            val_loss = loss_fn(val_t_p, val_t_c)
            assert val_loss.requires_grad == False  # All requires_grad args are forced to False inside this block

        optimizer.zero_grad()
        train_loss.backward()
        optimizer.step()

        if epoch <= 3 or epoch % 500 == 0:
            print(f"Epoch {epoch}, Training loss {train_loss.item()}, Validation loss {val_loss.item()}")

    return params


params = torch.tensor([1.0, 0.0], requires_grad=True)
optimizer = optim.SGD([params], lr=1e-2)
print(training_loop(3000, optimizer, params, train_t_un, val_t_un, train_t_c, val_t_c))


# In [56]: set_grad_enabled picks the mode from a flag, e.g. training vs evaluation
def calc_forward(t_u, t_c, is_train):
    with torch.set_grad_enabled(is_train):
        t_p = model(t_u, *params)
        loss = loss_fn(t_p, t_c)
    return loss


train_loss = calc_forward(train_t_un, train_t_c, True)
val_loss = calc_forward(val_t_un, val_t_c, False)
print(f"train loss requires grad: {train_loss.requires_grad}, {train_loss!r}")
print(f"val loss requires grad: {val_loss.requires_grad}, {val_loss!r}")
