# Chapter 5, In [22]-[29]: autograd computes the gradient of the loss for you.
import torch

# In [23]: the thermometer readings, in Celsius (t_c) and in the unknown unit (t_u)
t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


# In [24]: the linear model
def model(t_u, w, b):
    return w * t_u + b


# In [25]: mean squared error
def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c)**2
    return squared_diffs.mean()


# In [26]: requires_grad tells autograd to track every operation on params
params = torch.tensor([1.0, 0.0], requires_grad=True)

# In [27]: no gradient yet
print(params.grad is None)

# In [28]
loss = loss_fn(model(t_u, *params), t_c)
loss.backward()

# In [29]
print(params.grad)
