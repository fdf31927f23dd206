import DNN
import Foundation
import Testing

@Suite("The model: initialisation, training, prediction, files")
struct ModelTests {
    @Test("initialisation schemes draw as the course does")
    func initialization() throws {
        // The step-by-step scheme with seed 3 is initialize_parameters_deep.
        let stepByStep = try DeepNeuralNetwork(layerSizes: [5, 4, 3, 1], initialization: .stepByStep)
        let course = initializeParametersDeep([5, 4, 3, 1])
        #expect(stepByStep.parameters == course)
        // The two-layer scheme with seed 1 is initialize_parameters.
        let twoLayer = try DeepNeuralNetwork(layerSizes: [3, 2, 1], initialization: .course)
        #expect(twoLayer.parameters == initializeParameters(nX: 3, nH: 2, nY: 1))
        // L-layer: randn / sqrt(n[l-1]) from seed 1; He and Xavier from their scales.
        var rng = NumPyRandom(seed: 1)
        let first = rng.randn(4, 5)
        let lLayer = try DeepNeuralNetwork(layerSizes: [5, 4, 3, 1])
        #expect(lLayer.parameters.W(1) == first / 5.0.squareRoot())
        #expect(lLayer.initialization?.scheme == .course && lLayer.initialization?.seed == 1)
        var rng3 = NumPyRandom(seed: 3)
        let he = try DeepNeuralNetwork(layerSizes: [5, 4, 1], initialization: .he)
        #expect(he.parameters.W(1) == rng3.randn(4, 5) * (2.0 / 5).squareRoot())
        let xavier = try DeepNeuralNetwork(layerSizes: [5, 4, 1], initialization: .xavier, seed: 9)
        var rng9 = NumPyRandom(seed: 9)
        #expect(xavier.parameters.W(1) == rng9.randn(4, 5) * (1.0 / 5).squareRoot())
        #expect(xavier.parameters.b(1) == .zeros(4, 1))
    }

    @Test("training matches the step-by-step functions step for step")
    func trainingMatchesCourseFunctions() throws {
        var rng = NumPyRandom(seed: 4)
        let X = rng.randn(6, 30)
        let Y = rng.rand(1, 30).map { $0 < 0.5 ? 0 : 1 }
        var model = try DeepNeuralNetwork(layerSizes: [6, 5, 4, 1], initialization: .lLayer)
        var parameters = model.parameters
        var expected = [Double]()
        for _ in 0..<50 {
            let (AL, caches) = lModelForward(X, parameters)
            expected.append(computeCost(AL, Y))
            parameters = updateParameters(parameters, lModelBackward(AL, Y, caches), learningRate: 0.1)
        }
        let history = try model.train(X, Y, learningRate: 0.1, iterations: 50, reportEvery: 1)
        // Rounding differs (dZ[L] = A − Y in closed form, BLAS's alpha): 1e-12 relative leaves
        // room for that and for nothing else.
        for (record, cost) in zip(history, expected) {
            #expect(abs(record.cost - cost) / cost < 1e-12)
        }
        for l in 1...3 {
            let difference = (model.parameters.W(l) - parameters.W(l)).map(abs).scalars.max()!
            #expect(difference < 1e-12)
        }
    }

    @Test("a tiny model learns the flower data")
    func converges() throws {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 10, 5, 1], initialization: .he)
        let history = try model.train(flower.X, flower.Y, learningRate: 0.3, iterations: 2000, reportEvery: 500)
        #expect(history.last!.cost < history.first!.cost / 2)
        #expect(try model.accuracy(flower.X, flower.Y) > 0.85)
    }

    @Test("predict thresholds at 0.5; reports come every N iterations and at the last")
    func predictAndReports() throws {
        var model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        var reported = [Int]()
        var seen = 0
        try model.train(
            Matrix([[1, -1, 2], [0, 1, -2]]), Matrix([[1, 0, 1]]), learningRate: 0.5, iterations: 25,
            reportEvery: 10, report: { reported.append($0.iteration) },
            progress: { _ in
                seen += 1
                return .proceed
            })
        #expect(reported == [0, 10, 20, 24])
        #expect(seen == 25)
        let (probabilities, labels) = try model.predict(Matrix([[1, -1, 2], [0, 1, -2]]))
        #expect(labels == probabilities.map { $0 > 0.5 ? 1 : 0 })
        #expect(model.training?.iterations == 25)
    }

    @Test("bad settings and data are errors, and the model is left as it was")
    func badTraining() throws {
        var model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        let before = model
        let X = Matrix([[1, 2], [3, 4]]), Y = Matrix([[0, 1]])
        #expect(throws: DNNError("learning rate -1.0: must be a positive number")) {
            try model.train(X, Y, learningRate: -1, iterations: 10)
        }
        #expect(throws: DNNError("learning rate nan: must be a positive number")) {
            try model.train(X, Y, learningRate: .nan, iterations: 10)
        }
        #expect(throws: DNNError("iterations 0: must be at least 1")) {
            try model.train(X, Y, learningRate: 0.1, iterations: 0)
        }
        #expect(throws: DNNError("data: 3 features per example, but the model takes 2")) {
            try model.train(Matrix([[1], [2], [3]]), Matrix([[1]]), learningRate: 0.1, iterations: 1)
        }
        #expect(
            throws: DNNError(
                "layer sizes [2, 3, 2]: two classes take one output unit (sigmoid), not 2; three or more take softmax")
        ) {
            try DeepNeuralNetwork(layerSizes: [2, 3, 2])
        }
        #expect(throws: DNNError("layer sizes [2]: need at least an input size and an output size")) {
            try DeepNeuralNetwork(layerSizes: [2])
        }
        #expect(model == before)
    }

    @Test("a saturated wrong output costs inf, and training goes on through it")
    func infiniteCost() throws {
        // σ(1e308) = 1 exactly: right for the first example (0·log 0 counts as 0), wrong for the second.
        let huge = Parameters(layers: [LayerParameters(W: Matrix([[1e308, -1e308]]), b: Matrix([[0]]))])
        var model = try DeepNeuralNetwork(parameters: huge)
        let history = try model.train(Matrix([[1, 1], [0, -1]]), Matrix([[1, 0]]), learningRate: 0.1, iterations: 5)
        #expect(history.map(\.cost) == [.infinity, .infinity])
        #expect(model.training?.iterations == 5)
    }

    @Test("a cost that turns NaN stops training, names the iteration, and leaves the model as it was")
    func nanStops() throws {
        // A NaN bias makes the first Z, and so the first cost, NaN. (Overflowing products give inf
        // or NaN depending on whether BLAS fuses its multiply-adds, so they would not pin the iteration.)
        let broken = Parameters(layers: [LayerParameters(W: Matrix([[1, -1]]), b: Matrix([[.nan]]))])
        var model = try DeepNeuralNetwork(parameters: broken)
        #expect(throws: DNNError("training stopped: the cost became NaN at iteration 0")) {
            try model.train(Matrix([[2, 1], [2, 0]]), Matrix([[1, 0]]), learningRate: 0.1, iterations: 5)
        }
        #expect(model.parameters.W(1) == broken.W(1))
    }
}
