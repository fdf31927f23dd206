import DNN
import Foundation

// The course's step functions, as its notebook builds them, on its own test case.
var rng = NumPyRandom(seed: 1)
let A = rng.randn(3, 2), W = rng.randn(1, 3), b = rng.randn(1, 1)
let (Z, _) = linearForward(A, W, b)
print("linear_forward:", Z)  // the course prints [[ 3.26295337 -1.23429987]]

var parameters = initializeParametersDeep([5, 4, 3, 1])
let X = rng.randn(5, 10)
let Y = rng.rand(1, 10).map { $0 < 0.5 ? 0 : 1 }
let first = computeCost(lModelForward(X, parameters).AL, Y)
for _ in 0..<100 {
    let (AL, caches) = lModelForward(X, parameters)
    parameters = updateParameters(parameters, lModelBackward(AL, Y, caches), learningRate: 0.1)
}
let last = computeCost(lModelForward(X, parameters).AL, Y)
print("step functions: cost \(first) -> \(last) after 100 steps")
guard last < first else { fatalError("the step functions did not lower the cost") }

// Any network through the public API: two tanh layers and a softmax over three classes.
let network = Network(
    inputs: 2, hidden: [Layer(units: 8, activation: .tanh), Layer(units: 4, activation: .relu)], head: .softmax,
    classes: 3)
var model = try DeepNeuralNetwork(network: network, initialization: .he, seed: 3, classNames: ["a", "b", "c"])
// Three clusters in the plane, class = the cluster.
let centres: [(Double, Double)] = [(0, 2), (-2, -1), (2, -1)]
let points = (0..<90).map { i -> (Double, Double, Double) in
    let (x, y) = centres[i % 3]
    return (x + rng.randn(1, 1)[0, 0] * 0.3, y + rng.randn(1, 1)[0, 0] * 0.3, Double(i % 3))
}
let features = Matrix(rows: 2, cols: 90, scalars: points.map(\.0) + points.map(\.1))
let labels = Matrix(rows: 1, cols: 90, scalars: points.map(\.2))
let options = TrainingOptions(
    learningRate: 0.01, iterations: 200, miniBatchSize: 30, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
let costs = try model.train(features, labels, options: options)
let accuracy = try model.accuracy(features, labels)
print("Network [2, 8, 4, 3]: cost \(costs.first!.cost) -> \(costs.last!.cost), train accuracy \(accuracy)")
guard accuracy > 0.9 else { fatalError("the network did not learn three separated clusters") }

// Saved, reloaded, predicting the same.
let path = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-\(getpid()).json").path
try model.save(to: path)
let reloaded = try DeepNeuralNetwork(contentsOf: path)
try FileManager.default.removeItem(atPath: path)
let point = Matrix(rows: 2, cols: 1, scalars: [2, -1])
let (probabilities, predicted) = try reloaded.predict(point)
let name = reloaded.classNames[Int(predicted[0, 0])]
print(
    "reloaded model: (2, -1) is class \(name), probabilities \(probabilities.scalars.map { ($0 * 1000).rounded() / 1000 })"
)
guard reloaded == model, name == "c" else { fatalError("the reloaded model differs") }

// Bad data throws a DNNError of one line.
do {
    _ = try reloaded.predict(Matrix(rows: 3, cols: 1, scalars: [1, 2, 3]))
    fatalError("three features were accepted by a model of two")
} catch let error as DNNError {
    print("thrown: \(error)")
}
