import DNN
import Foundation

// libFuzzer calls `LLVMFuzzerTestOneInput` with one input at a time and reports a crash, a
// sanitiser finding, a leak, a timeout or an allocation past its limit as a fault. Each input is
// written to a file and read back by the same entry point `dnn` uses (the loaders take paths, and
// HDF5 reads only from files), so what is fuzzed is what users run. A loader may refuse an input
// with an error; that is the expected outcome for almost all of them, and is not a fault.

/// The loaders that can be fuzzed, named as `scripts/fuzz` names them.
enum LoaderFuzzTarget: String, CaseIterable {
    /// `Dataset.loadCSV`: tabular data.
    case csv
    /// `Dataset.loadHDF5`: the course's picture data sets.
    case hdf5
    /// `DeepNeuralNetwork(contentsOf:)`, then a prediction: model files.
    case model
    /// `RGBImage(contentsOf:)`, then the course's resize to 64×64: photos.
    case image
    /// `DeepNeuralNetwork(npz:)` (`dnn import`), then a prediction: numpy's archives.
    case npz
    /// A model file resumed as `dnn train --resume` resumes it: its saved settings, optimiser
    /// state and pass counts, two more passes on data of its shape, then saved again.
    case resume

    /// Feeds the file at `path` to the loader.
    func run(path: String) {
        switch self {
        case .csv:
            _ = try? Dataset.loadCSV(path, columns: CSVColumns(labelsOptional: true))
        case .hdf5:
            _ = try? Dataset.loadHDF5(path)
        case .model:
            guard let model = try? DeepNeuralNetwork(contentsOf: path) else { return }
            // A model that loads must also predict: its shapes and values were checked on reading.
            let inputs = model.layerSizes[0]
            guard inputs <= 1 << 16 else { return }
            _ = try? model.predict(Matrix(rows: inputs, cols: 1, repeating: 0.5))
        case .image:
            guard let image = try? RGBImage(contentsOf: path) else { return }
            _ = image.resized(width: 64, height: 64)
        case .npz:
            guard let model = try? DeepNeuralNetwork(npz: path), model.layerSizes[0] <= 1 << 16 else { return }
            _ = try? model.predict(Matrix(rows: model.layerSizes[0], cols: 1, repeating: 0.5))
        case .resume:
            guard var model = try? DeepNeuralNetwork(contentsOf: path) else { return }
            resume(&model)
        }
    }

    /// Two more passes of a model read from a file, with the settings it saved, on 8 examples of
    /// its shape (targets of its task: labels cycling through its classes, values, or 0/1
    /// labels), and the model encoded again.
    private func resume(_ model: inout DeepNeuralNetwork) {
        let inputs = model.layerSizes[0], task = model.task
        guard inputs <= 1 << 12, model.parameterCount <= 1 << 20 else { return }
        let m = 8, rows = task.targetRows
        let X = Matrix(rows: inputs, cols: m, scalars: (0..<inputs * m).map { Double($0 % 7) / 7 })
        let Y = Matrix(
            rows: rows, cols: m,
            scalars: (0..<rows * m).map { k in
                switch task.kind {
                case .classification: Double(k % task.names.count)
                case .regression: Double(k % 5) - 2
                case .multilabel: Double(k % 2)
                }
            })
        let saved = model.training
        let options = TrainingOptions(
            learningRate: saved?.learningRate ?? 0.01, iterations: 2,
            miniBatchSize: saved?.miniBatchSize.map { min($0, m) },
            optimizer: saved?.optimizer ?? .gradientDescent, schedule: saved?.schedule ?? .constant, l2: saved?.l2 ?? 0,
            keepProb: saved?.keepProb ?? 1, dropoutSeeding: saved?.dropoutSeeding ?? .fresh,
            precision: saved?.precision ?? .float64,
            threads: 1)
        guard (try? model.train(X, Y, options: options)) != nil else { return }
        _ = try? model.fileData()
    }
}

/// The target chosen for this process (`DNN_FUZZ_TARGET`), and the file each input is written to.
nonisolated(unsafe) private var target = LoaderFuzzTarget.csv
nonisolated(unsafe) private var inputPath = ""

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    let name = ProcessInfo.processInfo.environment["DNN_FUZZ_TARGET"] ?? ""
    guard let chosen = LoaderFuzzTarget(rawValue: name) else {
        let names = LoaderFuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("DNNFuzz: set DNN_FUZZ_TARGET to one of \(names)\n".utf8))
        exit(2)
    }
    target = chosen
    // The file each input is written to (`DNN_FUZZ_INPUT`, so that scripts/fuzz can keep the
    // last input when the process ends without libFuzzer's report); in memory when possible.
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    inputPath = ProcessInfo.processInfo.environment["DNN_FUZZ_INPUT"] ?? "\(folder)/dnn-fuzz-\(getpid())-\(name)"
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let data = Data(bytes: bytes, count: count)
    guard FileManager.default.createFile(atPath: inputPath, contents: data) else {
        fatalError("DNNFuzz: cannot write \(inputPath)")
    }
    target.run(path: inputPath)
    return 0
}
