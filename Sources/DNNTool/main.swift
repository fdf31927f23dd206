import DNN

// A first run of the step-by-step functions: a small random problem, twenty steps of gradient
// descent. The next issue turns this into the `dnn` command.
var rng = NumPyRandom(seed: 1)
let X = rng.randn(4, 20)
let Y = X.sum(axis: 0).map { $0 > 0 ? 1 : 0 }
var parameters = initializeParameters(nX: 4, nH: 5, nY: 1, using: &rng)
for iteration in 0..<2000 {
    let (AL, caches) = lModelForward(X, parameters)
    if iteration % 400 == 0 {
        print("Cost after iteration \(iteration): \(computeCost(AL, Y))")
    }
    parameters = updateParameters(parameters, lModelBackward(AL, Y, caches), learningRate: 0.5)
}
print("W1 =\n\(parameters.W(1))")
