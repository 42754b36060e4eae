# Chapter 5, In [42]-[53]: hold out a validation set to see whether the model generalizes.
import torch
import torch.optim as optim

t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def model(t_u, w, b):
    return w * t_u + b


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c)**2
    return squared_diffs.mean()

# In [42]-[43]
n_samples = t_u.shape[0]
n_val = int(0.2 * n_samples)
print((n_samples, n_val))

# In [44]: a random permutation of the sample indices (this seed draws the book's permutation)
torch.manual_seed(33554659)
shuffled_indices = torch.randperm(n_samples)

# In [45]-[46]
train_indices = shuffled_indices[:-n_val]
val_indices = shuffled_indices[-n_val:]
print((train_indices, val_indices))

# In [49]: index tensors select the samples
train_t_u = t_u[train_indices]
train_t_c = t_c[train_indices]

val_t_u = t_u[val_indices]
val_t_c = t_c[val_indices]

# In [50]
train_t_un = 0.1 * train_t_u
val_t_un = 0.1 * val_t_u


# In [51]: evaluate the validation loss every epoch, but train only on the training loss
def training_loop(n_epochs, optimizer, params, train_t_u, val_t_u, train_t_c, val_t_c):
    for epoch in range(1, n_epochs + 1):
        train_t_p = model(train_t_u, *params)
        train_loss = loss_fn(train_t_p, train_t_c)

        val_t_p = model(val_t_u, *params)
        val_loss = loss_fn(val_t_p, val_t_c)

        optimizer.zero_grad()
        train_loss.backward()
        optimizer.step()

        if epoch <= 3 or epoch % 500 == 0:
            print(f"Epoch {epoch}, Training loss {train_loss.item()}, Validation loss {val_loss.item()}")

    return params


# In [52]-[53]
params = torch.tensor([1.0, 0.0], requires_grad=True)
learning_rate = 1e-2
optimizer = optim.SGD([params], lr=learning_rate)

print(training_loop(
    n_epochs=3000,
    optimizer=optimizer,
    params=params,
    train_t_u=train_t_un,
    val_t_u=val_t_un,
    train_t_c=train_t_c,
    val_t_c=val_t_c))
