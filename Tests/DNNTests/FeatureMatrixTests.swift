import Foundation
import Testing

@testable import DNN

/// Pictures are kept as bytes and converted straight into the engine's precision and layout: the
/// results must be those of the Double matrix the course's `x / 255.` gives, bit for bit.
@Suite("Features kept as bytes train, standardise and predict as their Double values")
struct FeatureMatrixTests {
    /// m examples of n random bytes, and labels a rule on them decides.
    static func pictures(features n: Int, examples m: Int, seed: UInt32) -> (FeatureMatrix, Matrix) {
        var rng = NumPyRandom(seed: seed)
        let bytes = rng.rand(m, n).scalars.map { UInt8(min(255, $0 * 256)) }
        let labels = (0..<m).map { i in bytes[i * n] > bytes[i * n + 1] ? 1.0 : 0.0 }
        return (FeatureMatrix(bytes: bytes, features: n, examples: m), Matrix(rows: 1, cols: m, scalars: labels))
    }

    @Test("the matrix of bytes is byte / 255, as the course's x.reshape(m, -1).T / 255.")
    func matrix() {
        let X = FeatureMatrix(bytes: [0, 255, 51, 1, 2, 3], features: 3, examples: 2)
        #expect(X.matrix == Matrix(rows: 3, cols: 2, scalars: [0, 1 / 255, 1, 2 / 255, 51 / 255, 3 / 255]))
        #expect(X.selecting(examples: [1, 1]).matrix == FeatureMatrix(X.matrix).selecting(examples: [1, 1]).matrix)
        #expect(X.matrix(examples: 1..<2) == Matrix(rows: 3, cols: 1, scalars: [1 / 255, 2 / 255, 3 / 255]))
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let batch: Int?
        let engine: EngineSelection
        let optimizer: Optimizer
        var testDescription: String { "\(batch.map { "batches of \($0)" } ?? "full batch"), \(engine), \(optimizer)" }
    }

    @Test(
        "every path trains on bytes exactly as on their Double matrix",
        arguments: [
            Case(batch: nil, engine: .direct, optimizer: .gradientDescent),
            Case(batch: nil, engine: .dual, optimizer: .gradientDescent),
            Case(batch: 16, engine: .direct, optimizer: .courseAdam),
            Case(batch: 16, engine: .dual, optimizer: .momentum(beta: 0.9)),
        ])
    func training(_ c: Case) throws {
        let (bytes, Y) = Self.pictures(features: 30, examples: 70, seed: 4)
        let values = FeatureMatrix(bytes.matrix)
        let standardization = Standardization(fitting: bytes)
        #expect(standardization == Standardization(fitting: values))
        let sizes = [30, 6, 1]
        let parameters = InitializationScheme.lLayer.parameters(layerSizes: sizes, seed: 1)
        for precision in [Precision.float64, .float32] {
            let options = TrainingOptions(
                learningRate: 0.05, iterations: 1, miniBatchSize: c.batch, optimizer: c.optimizer,
                precision: precision, engine: c.engine)
            let plan = try TrainingPlan(
                layerSizes: sizes, examples: 70, iterations: 20, precision: precision, engine: c.engine, threads: 1,
                availableMemory: 16e9)
            func run<Scalar: EngineScalar>(_: Scalar.Type, _ X: FeatureMatrix) -> ([Double], Parameters) {
                let engine = TrainingEngine<Scalar>(
                    parameters: parameters, features: X, standardization: standardization, Y: Y, plan: plan,
                    options: options)
                return ((0..<20).map { _ in engine.epoch(learningRate: 0.05) }, engine.parameters)
            }
            let (fromBytes, fromValues) =
                precision == .float64
                ? (run(Double.self, bytes), run(Double.self, values))
                : (run(Float.self, bytes), run(Float.self, values))
            #expect(fromBytes.0 == fromValues.0, "\(precision)")
            #expect(fromBytes.1 == fromValues.1, "\(precision)")
        }
    }

    @Test("standardised on the way into the engine as Standardization.apply does")
    func standardised() {
        let (bytes, _) = Self.pictures(features: 5, examples: 9, seed: 2)
        let standardization = Standardization(fitting: bytes)
        let expected = standardization.apply(bytes.matrix)
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 45)
        defer { buffer.deallocate() }
        bytes.write(into: buffer, exampleMajor: false, standardization: standardization)
        #expect(Array(buffer) == expected.scalars)
        bytes.write(into: buffer, exampleMajor: true, standardization: standardization)
        #expect(Array(buffer) == expected.T.scalars)
    }

    @Test("accuracy over more examples than one block equals that of one prediction over all")
    func accuracyInBlocks() throws {
        let (bytes, Y) = Self.pictures(features: 6, examples: 4096 + 900, seed: 3)
        let model = try DeepNeuralNetwork(layerSizes: [6, 5, 1], initialization: .lLayer)
        #expect(Predictor<Double>.blockSize(layerSizes: model.layerSizes) == 4096, "two blocks")
        let labels = try model.predict(bytes.matrix).labels
        let expected = Double(zip(labels.scalars, Y.scalars).filter { $0 == $1 }.count) / Double(Y.cols)
        #expect(try model.accuracy(bytes, Y) == expected)
        #expect(try model.accuracy(bytes.matrix, Y) == expected)
    }
}
