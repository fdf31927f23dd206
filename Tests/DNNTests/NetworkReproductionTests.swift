import DNN
import Foundation
import Testing

/// Networks the course builds besides its cat models: week 3's planar classifier with a tanh
/// hidden layer, and a softmax classifier of real multi-class data.
@Suite("Other networks of the course, and real multi-class data, reproduced")
struct NetworkReproductionTests {
    /// Course 1, week 3: [2, 4, 1] with a tanh hidden layer, weights randn × 0.01 from seed 2,
    /// α 1.2, 10000 iterations, on the built-in flower data. The notebook's printed costs to
    /// 7000 (its 8000 and 9000 lines vary with numpy's version) and its 90% training accuracy.
    @Test("week 3: the planar classifier with a tanh hidden layer")
    func planar() throws {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(
            network: Network(inputs: 2, hidden: [Layer(units: 4, activation: .tanh)], head: .sigmoid, classes: 2),
            initialization: .twoLayer, seed: 2)
        let history = try model.train(
            flower.X, flower.Y,
            options: TrainingOptions(learningRate: 1.2, iterations: 10000, reportEvery: 1000))
        let printed = [0.693048, 0.288083, 0.254385, 0.233864, 0.226792, 0.222644, 0.219731, 0.217504]
        for (index, expected) in printed.enumerated() {
            let cost = history.first { $0.iteration == 1000 * index }!.cost
            #expect(abs(cost - expected) <= 5e-7, "cost at \(1000 * index): \(cost)")
        }
        // The notebook prints "90%"; BLAS kernels that round differently may move one point near
        // the boundary, so the exact fraction is not pinned.
        #expect(Int(try model.accuracy(flower.X, flower.Y) * 100) == 90)
    }

    /// Week 3's hidden-layer study: the same settings for 5000 iterations with 1…5 tanh units; the
    /// notebook's accuracies, within one of the 400 points (kernels that round differently may move
    /// a point that sits on the boundary).
    @Test(
        "week 3: hidden layer sizes 1 to 5",
        arguments: [(1, 0.675), (2, 0.6725), (3, 0.9075), (4, 0.905), (5, 0.9125)])
    func hiddenSizes(units: Int, accuracy: Double) throws {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(
            network: Network(
                inputs: 2, hidden: [Layer(units: units, activation: .tanh)], head: .sigmoid, classes: 2),
            initialization: .twoLayer, seed: 2)
        try model.train(flower.X, flower.Y, options: TrainingOptions(learningRate: 1.2, iterations: 5000))
        #expect(abs(try model.accuracy(flower.X, flower.Y) - accuracy) <= 1.0 / 400 + 1e-12)
    }

    /// scikit-learn's 8×8 digits (64 features 0–16, ten classes), [64, 32, 10] with a softmax
    /// head, randn/√n from seed 1, α 0.03, 1000 iterations: the costs and accuracies of the issue
    /// that asked for multi-class data, computed by numpy's algorithm.
    @Test(
        "digits: ten classes through a softmax head",
        .enabled(
            if: FileManager.default.fileExists(atPath: SharedData.path("real/digits_train.csv")),
            "the digits data are not in ../shared/data/real; skipped"))
    func digits() throws {
        let train = try Dataset.load(SharedData.path("real/digits_train.csv"))
        let test = try Dataset.load(SharedData.path("real/digits_test.csv"))
        #expect(train.classCount == 10 && train.featureCount == 64)
        var model = try DeepNeuralNetwork(
            layerSizes: [64, 32, 10], initialization: .lLayer, seed: 1, classNames: train.classNames)
        #expect(model.network.head == .softmax)
        let history = try model.train(
            train.X, train.Y, options: TrainingOptions(learningRate: 0.03, iterations: 1000))
        for (iteration, expected) in [(0, 11.492379633428799), (100, 0.16774279807052053), (999, 0.017213735402039708)]
        {
            let cost = history.first { $0.iteration == iteration }!.cost
            #expect(abs(cost - expected) / expected < 1e-9, "cost at \(iteration): \(cost)")
        }
        // Within one example of numpy's (kernels that round differently may move one on a boundary).
        #expect(abs(try model.accuracy(train.X, train.Y) - 0.9985152190051967) <= 1.0 / 1347 + 1e-12)
        #expect(abs(try model.accuracy(test.X, test.Y) - 0.9622222222222222) <= 1.0 / 450 + 1e-12)
        let evaluation = try Evaluation(model: model, data: test)
        #expect(evaluation.counts.count == 10 && abs(evaluation.correctCount - 433) <= 1)
    }
}
