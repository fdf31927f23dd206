import Foundation
import ZIPFoundation

/// numpy's `.npz`: a zip archive of `.npy` files, one per array, named as `np.savez` names them
/// (`W1.npy` for the keyword `W1`). ZIPFoundation writes and reads the zip; entries are written
/// stored (uncompressed), as `np.savez` writes them, and read stored or deflated.
public enum NumPyArchive {
    /// The archive's bytes for `arrays` (name → array), entries in the order given.
    public static func data(_ arrays: [(name: String, array: NumPyArray)]) throws -> Data {
        try data(entries: arrays.map { ($0.name, $0.array.npyData) })
    }

    /// The archive's bytes for entries `name.npy` holding `bytes` as they are.
    public static func data(entries: [(name: String, bytes: Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, bytes) in entries {
            try archive.addEntry(
                with: name + ".npy", type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .none,
                provider: { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) })
        }
        return archive.data!
    }

    /// The arrays of an `.npz` file by name (without `.npy`).
    ///
    /// Each entry is inflated only as far as its own `.npy` header says it reaches (values ×
    /// their width): an entry that claims or inflates to more is refused as soon as it passes
    /// that size (a zip bomb of 1 MB is never inflated to gigabytes), and so is one whose size in
    /// the zip directory disagrees, or whose CRC-32 does not match its bytes.
    public static func read(_ path: String) throws -> [String: NumPyArray] {
        try requireReadableFile(path)
        // Read from the file, not from its bytes in memory: ZIPFoundation's in-memory archive traps
        // on a central directory whose offsets point past the end (found by scripts/fuzz npz),
        // where reading the file ends in an error.
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw DNNError("\(path): not an .npz file (not a zip archive, or truncated)")
        }
        var arrays = [String: NumPyArray]()
        for entry in archive {
            guard entry.path.hasSuffix(".npy") else { continue }
            let name = "\(path): \(elided(entry.path))"
            let bytes = try extract(entry, from: archive, name: name)
            let key = String(entry.path.dropLast(4))
            guard arrays[key] == nil else { throw DNNError("\(name): the archive holds it twice") }
            arrays[key] = try NumPyArray(npyData: bytes, name: name)
        }
        guard !arrays.isEmpty else { throw DNNError("\(path): no .npy arrays in the archive") }
        return arrays
    }

    /// Raised inside ZIPFoundation's consumer to stop inflating an entry.
    private struct Oversized: Error {}

    /// The bytes of `entry`, inflated no further than its `.npy` header allows, CRC-checked.
    private static func extract(_ entry: Entry, from archive: Archive, name: String) throws -> Data {
        var bytes = Data(), expected: Int?
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry) { chunk in
                bytes.append(chunk)
                if expected == nil,
                    let header = try NumPyArray.Header(parsing: [UInt8](bytes.prefix(1 << 17))[...], name: name)
                {
                    expected = header.fileBytes
                    guard UInt64(header.fileBytes) == entry.uncompressedSize else {
                        throw DNNError(
                            "\(name): the zip says \(entry.uncompressedSize) bytes where the array's header needs \(header.fileBytes)"
                        )
                    }
                }
                // Before the header is whole it is at most 2¹⁶ bytes long; after, the file's size.
                guard bytes.count <= (expected ?? (NumPyArray.Header.maximumLength + 16)) else { throw Oversized() }
            }
        } catch let error as DNNError {
            throw error
        } catch is Oversized {
            throw DNNError("\(name): inflates to more bytes than its .npy header holds (a damaged or hostile archive)")
        } catch {
            throw DNNError("\(name): cannot be read (damaged or truncated)")
        }
        guard checksum == entry.checksum else {
            throw DNNError("\(name): its CRC-32 does not match its bytes (a damaged archive)")
        }
        return bytes
    }
}

extension DeepNeuralNetwork {
    /// The parameters as the course's `parameters` dictionary in numpy's `.npz`: `W1`, `b1`, …,
    /// `WL`, `bL`, float64, in the course's shapes (W[l] n[l]×n[l-1], b[l] n[l]×1). With a
    /// standardisation, also `mean` and `scale` (n[0] each). The task goes in as `task`, UTF-8
    /// JSON bytes (`json.loads(bytes(npz["task"]))`: {"kind": …, "names": […]}), a regression's
    /// target standardisation as `target_mean` and `target_scale`, and a tabular model's encoders
    /// as `preprocessing` (JSON bytes too). A batch-normalised layer l adds `gamma{l}`, `beta{l}`,
    /// `running_mean{l}` and `running_var{l}` (n[l]×1), and `batch_norm` holds every hidden layer's
    /// ε and momentum (JSON bytes: a list with null for a plain layer).
    public func npzData() throws -> Data {
        var arrays = [(String, NumPyArray)]()
        for l in 1...layerCount {
            arrays.append(("W\(l)", NumPyArray(parameters.W(l))))
            arrays.append(("b\(l)", NumPyArray(parameters.b(l))))
            if let numbers = parameters.layers[l - 1].normalization {
                for (name, values) in zip(Self.normalizationArrays, numbers.columns) {
                    arrays.append(("\(name)\(l)", NumPyArray(values)))
                }
            }
        }
        if network.hasBatchNorm {
            arrays.append(("batch_norm", NumPyArray(bytes: Array(try JSONEncoder().encode(network.normalizations)))))
        }
        if let standardization {
            arrays.append(("mean", NumPyArray(shape: [standardization.mean.count], values: standardization.mean)))
            arrays.append(("scale", NumPyArray(shape: [standardization.scale.count], values: standardization.scale)))
        }
        if let scaling = targetStandardization {
            arrays.append(("target_mean", NumPyArray(shape: [scaling.mean.count], values: scaling.mean)))
            arrays.append(("target_scale", NumPyArray(shape: [scaling.scale.count], values: scaling.scale)))
        }
        arrays.append(("task", NumPyArray(bytes: Array(try JSONEncoder().encode(task)))))
        if let preprocessing {
            // The encoders' tables (each column's kind, categories, fill values), as the model file
            // writes them: json.loads(bytes(npz["preprocessing"])).
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            arrays.append(("preprocessing", NumPyArray(bytes: Array(try encoder.encode(preprocessing)))))
        }
        return try NumPyArchive.data(arrays)
    }

    /// The names of a batch-normalised layer's arrays in an .npz, before the layer's number.
    static let normalizationArrays = ["gamma", "beta", "running_mean", "running_var"]

    /// Layer `l`'s γ, β and running averages from `arrays` (all four, `units` values each, flat
    /// or a column), or nil when it has none.
    private static func normalization(
        _ arrays: [String: NumPyArray], _ l: Int, units: Int, path: String
    ) throws -> NormalizationParameters? {
        let found = normalizationArrays.map { arrays["\($0)\(l)"] }
        if found.allSatisfy({ $0 == nil }) { return nil }
        var columns = [Matrix]()
        for (name, array) in zip(normalizationArrays, found) {
            guard let values = array?.values, values.count == units, array!.shape.reduce(1, *) == units else {
                throw DNNError(
                    "\(path): \(name)\(l) is missing or does not hold \(units) values, one per unit of layer \(l)")
            }
            columns.append(Matrix(rows: units, cols: 1, scalars: values))
        }
        return NormalizationParameters(
            gamma: columns[0], beta: columns[1], runningMean: columns[2], runningVariance: columns[3])
    }

    /// A model from a notebook's `parameters` saved with `np.savez(path, **parameters)`: layers
    /// `W1`, `b1`, … in order (sizes from their shapes; a bias may be saved flat), the hidden
    /// layers' `activation`, and the head that fits the output (one sigmoid unit, or softmax), or
    /// the task a `task` array names (as `npzData` writes it, with a regression's `target_mean`
    /// and `target_scale`).
    public init(npz path: String, activation: Activation = .relu, classNames: [String]? = nil) throws {
        let arrays = try NumPyArchive.read(path)
        var layers = [LayerParameters]()
        var l = 1
        while let W = arrays["W\(l)"] {
            guard let weights = W.matrix, W.shape.count == 2 else {
                throw DNNError("\(path): W\(l) has shape \(W.shape); expected two dimensions")
            }
            guard let b = arrays["b\(l)"], let bias = b.matrix, bias.cols == 1, bias.rows == weights.rows else {
                throw DNNError(
                    "\(path): b\(l) is missing or not of shape (\(weights.rows), 1) for W\(l) of shape \(W.shape)")
            }
            if let previous = layers.last, previous.W.rows != weights.cols {
                throw DNNError(
                    "\(path): W\(l) has shape \(W.shape) but W\(l - 1) gives \(previous.W.rows) inputs")
            }
            guard (weights.scalars + bias.scalars).allSatisfy(\.isFinite) else {
                throw DNNError("\(path): layer \(l) holds a value that is not finite")
            }
            layers.append(
                LayerParameters(
                    W: weights, b: bias,
                    normalization: try Self.normalization(arrays, l, units: weights.rows, path: path)))
            l += 1
        }
        guard !layers.isEmpty else { throw DNNError("\(path): no W1 array (the course's parameters W1, b1, …)") }
        // Layers are read while W1, W2, … follow on: one beyond a gap (W3 without W2) would be lost.
        let L = layers.count
        if let stray = arrays.keys.sorted().first(where: { key in
            guard let first = key.first, first == "W" || first == "b", let l = Int(key.dropFirst()) else {
                return false
            }
            return l > L
        }) {
            throw DNNError(
                "\(path): \(elided(stray)) follows no W\(L + 1) (layers go W1, b1, W2, b2, … with none missing)")
        }
        guard (arrays["mean"] == nil) == (arrays["scale"] == nil) else {
            throw DNNError(
                "\(path): a standardisation needs both mean and scale; the archive holds only \(arrays["mean"] == nil ? "scale" : "mean")"
            )
        }
        let sizes = [layers[0].W.cols] + layers.map { $0.W.rows }
        var task: LearningTask?
        if let array = arrays["task"] {
            guard let bytes = array.bytes, let read = try? JSONDecoder().decode(LearningTask.self, from: Data(bytes))
            else {
                throw DNNError("\(path): task is not a task's JSON ({\"kind\": …, \"names\": […]})")
            }
            task = classNames.map { read.kind == .classification ? .classification(classes: $0) : read } ?? read
        }
        var network: Network
        if let task {
            network = Network(
                inputs: sizes[0], hidden: sizes.dropFirst().dropLast().map { Layer(units: $0, activation: activation) },
                head: task.loss, outputs: sizes.last!)
        } else {
            try Self.validate(layerSizes: sizes)
            network = Network(layerSizes: sizes, activation: activation)
        }
        var settings: [BatchNormalization?]?
        if let array = arrays["batch_norm"] {
            guard let bytes = array.bytes,
                let read = try? JSONDecoder().decode([BatchNormalization?].self, from: Data(bytes)),
                read.count == network.hidden.count
            else {
                throw DNNError("\(path): batch_norm is not a list of \(network.hidden.count) hidden layers' settings")
            }
            settings = read
        }
        for index in network.hidden.indices where layers[index].normalization != nil || settings?[index] != nil {
            network.hidden[index].batchNorm = settings?[index] ?? BatchNormalization()
        }
        do {
            try self.init(
                parameters: Parameters(layers: layers), network: network,
                task: task ?? classNames.map { .classification(classes: $0) })
        } catch let error as DNNError {
            throw DNNError("\(path): \(error.message)")
        }
        if let mean = arrays["target_mean"]?.values, let scale = arrays["target_scale"]?.values {
            let scaling = Standardization(mean: mean, scale: scale)
            guard self.task.kind == .regression, (try? scaling.validate(features: network.outputs)) != nil else {
                throw DNNError("\(path): target_mean and target_scale do not fit the model's \(self.task.summary)")
            }
            targetStandardization = scaling
        }
        if let mean = arrays["mean"]?.values, let scale = arrays["scale"]?.values {
            let standardization = Standardization(mean: mean, scale: scale)
            do {
                try standardization.validate(features: sizes[0])
            } catch let error as DNNError {
                throw DNNError("\(path): \(error.message)")
            }
            self.standardization = standardization
        }
        if let array = arrays["preprocessing"] {
            guard let bytes = array.bytes,
                let pipeline = try? JSONDecoder().decode(TabularPipeline.self, from: Data(bytes))
            else { throw DNNError("\(path): preprocessing is not a pipeline's JSON") }
            try pipeline.validate(features: sizes[0], path: path)
            preprocessing = pipeline
            featureNames = pipeline.outputNames
        }
    }
}
