import ArgumentParser
import DNN
import Foundation

/// The formats a model can be written in besides its own JSON.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case onnx, npz
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model as ONNX (for ONNX Runtime) or as numpy's .npz (the course's parameters).",
        discussion: """
            onnx: a standard ONNX model, input X [N, n_x], output probabilities [N, classes or 1]; \
            Gemm per layer with its activation, the standardisation as Sub and Div in front; float32 \
            unless --precision float64. npz: W1, b1, …, WL, bL as float64 arrays of the course's \
            shapes (and mean, scale when standardised), readable by np.load without pickle.

              dnn export --model cat.json --format onnx --output cat.onnx
              dnn export --model cat.json --format npz --output cat.npz
            """)

    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String

    @Option(help: "onnx or npz.")
    var format: ExportFormat

    @Option(help: "ONNX only: float32 (the default) or float64.")
    var precision: Precision = .float32

    @Option(help: "The file to write.")
    var output: String

    func run() throws {
        try requireWritableOutput(output, inputs: [model])
        let network = try DeepNeuralNetwork(contentsOf: model)
        let data = format == .onnx ? try network.onnxModel(precision: precision) : try network.npzData()
        try writeFileAtomically(data, to: output)
        print("\(format.rawValue) model written to \(output) (\(data.count) bytes).")
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a model from a notebook's parameters saved by np.savez (W1, b1, …).",
        discussion: """
            The layer sizes come from the arrays' shapes; the hidden layers take --activation and the \
            output one sigmoid unit (two classes) or a softmax over its units.

              np.savez("params.npz", **parameters)          # in the notebook
              dnn import --format npz --input params.npz --output model.json
            """)

    @Option(help: "npz (the only format read).")
    var format: ExportFormat = .npz

    @Option(help: "The .npz file.")
    var input: String

    @Option(help: "The hidden layers' activation: relu, leaky-relu, tanh, sigmoid or identity.")
    var activation = "relu"

    @Option(help: "The class names, comma-separated (default 0, 1, …).")
    var classNames: String?

    @Option(help: "The model file to write (JSON).")
    var output: String

    func validate() throws {
        guard format == .npz else { throw ValidationError("--format \(format.rawValue): only npz can be imported") }
        do {
            _ = try Activation(parsing: activation)
        } catch let error as DNNError {
            throw ValidationError("--activation: \(error.message)")
        }
    }

    func run() throws {
        try requireWritableOutput(output, inputs: [input])
        let names = classNames.map { $0.split(separator: ",").map(String.init) }
        let model = try DeepNeuralNetwork(
            npz: input, activation: try Activation(parsing: activation), classNames: names)
        try model.save(to: output)
        print("Model \(model.layerSizes) written to \(output).")
    }
}
