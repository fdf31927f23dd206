import CHDF5
import Foundation

extension Dataset {
    /// Reads the course's HDF5 format through the HDF5 C library.
    ///
    /// The file holds `<prefix>_x`, uint8 of shape (m, 64, 64, 3) (or any (m, …)); `<prefix>_y`,
    /// integers of shape (m) or (1, m); and optionally `list_classes`, two fixed-length strings.
    /// Each example is flattened row-major into one column and divided by 255, exactly as the
    /// course does (`x.reshape(m, -1).T / 255.`).
    ///
    /// A file may hold several sets (`train_set_x` and `test_set_x`): then `set` names the one to
    /// read (its prefix, `test_set`), and without it the file is refused, naming them; a file of
    /// one set is read whatever `set` says only when `set` is nil.
    ///
    /// With `shard`, only the examples `shard(m)` of the file's m are read (a hyperslab of the
    /// pixels: a process of distributed training reads its own); the labels are read whole, so
    /// that every process knows the same classes.
    public static func loadHDF5(_ path: String, set: String? = nil, shard: ((Int) -> Range<Int>)? = nil) throws
        -> Dataset
    {
        try requireReadableFile(path)
        // Debian's and Homebrew's HDF5 are built without thread safety: one call at a time.
        hdf5Lock.lock()
        defer { hdf5Lock.unlock() }
        return try HDF5CrashGuard.reading(path) { try readHDF5(path, set: set, shard: shard) }
    }

    /// The sets an HDF5 file holds, by prefix (`train_set` for `train_set_x`), in order.
    public static func hdf5Sets(_ path: String) throws -> [String] {
        try requireReadableFile(path)
        hdf5Lock.lock()
        defer { hdf5Lock.unlock() }
        return try HDF5CrashGuard.reading(path) {
            dnn_h5_silence_errors()
            guard dnn_h5_is_hdf5(path) > 0 else { throw DNNError("\(path): not an HDF5 file") }
            let file = H5Fopen(path, dnn_h5f_acc_rdonly(), dnn_h5p_default())
            guard file >= 0 else { throw DNNError("\(path): cannot open as HDF5") }
            defer { H5Fclose(file) }
            return try rootNames(file, path).filter { $0.hasSuffix("_x") }.map { String($0.dropLast(2)) }
        }
    }

    /// `loadHDF5`'s work, under the HDF5 lock and the crash guard.
    private static func readHDF5(_ path: String, set: String?, shard: ((Int) -> Range<Int>)?) throws -> Dataset {
        dnn_h5_silence_errors()
        guard dnn_h5_is_hdf5(path) > 0 else {
            throw DNNError("\(path): not an HDF5 file")
        }
        let file = H5Fopen(path, dnn_h5f_acc_rdonly(), dnn_h5p_default())
        guard file >= 0 else { throw DNNError("\(path): cannot open as HDF5") }
        defer { H5Fclose(file) }

        let names = try rootNames(file, path)
        let sets = names.filter { $0.hasSuffix("_x") }
        guard !sets.isEmpty else {
            throw DNNError(
                "\(path): no dataset named like train_set_x or test_set_x (found: \(elided(names.joined(separator: ", "))))"
            )
        }
        let xName: String
        if let set {
            guard sets.contains(set + "_x") else {
                throw DNNError(
                    "\(path): no set \(elided(set)) (\(elided(set))_x); it holds \(elided(sets.joined(separator: ", ")))"
                )
            }
            xName = set + "_x"
        } else {
            guard sets.count == 1 else {
                let prefixes = sets.map { String($0.dropLast(2)) }
                throw DNNError(
                    "\(path): holds \(prefixes.count) sets (\(elided(prefixes.joined(separator: ", ")))); "
                        + "name the one to read with --hdf5-set \(prefixes[0])")
            }
            xName = sets[0]
        }
        let yName = String(xName.dropLast()) + "y"
        guard names.contains(yName) else { throw DNNError("\(path): has \(xName) but no \(yName)") }

        let (xBytes, xDims, rows) = try readUInt8(file, xName, path, shard: shard)
        let (allLabels, yDims) = try readInt64(file, yName, path)
        // With no examples, the size check let any other dimensions through: their product may
        // overflow (found by scripts/fuzz hdf5).
        let m = xDims[0]
        guard m > 0, let featureCount = ResourceLimits.bytes(Array(xDims.dropFirst()), each: 1), featureCount > 0 else {
            throw DNNError("\(path): \(xName) has shape \(elided("\(xDims)")); it is empty")
        }
        guard allLabels.count == m else {
            throw DNNError("\(path): \(yName) has shape \(yDims) but \(xName) holds \(m) examples")
        }
        let labels = allLabels[rows]
        // numpy's x.reshape(m, -1).T: feature f of example i is byte i·n + f, kept as bytes.
        // Without `list_classes`, as many classes as the labels need, named by their numbers.
        let classNames: [String]
        if names.contains("list_classes") {
            classNames = try readStrings(file, "list_classes", path)
        } else {
            let largest = allLabels.max() ?? 1
            guard largest < maximumClasses else {
                throw DNNError("\(path): \(yName) holds label \(largest); a class number is below \(maximumClasses)")
            }
            classNames = (0..<max(2, Int(largest) + 1)).map(String.init)
        }
        return try Dataset(
            features: FeatureMatrix(bytes: xBytes, features: featureCount, examples: rows.count),
            Y: Matrix(rows: 1, cols: rows.count, scalars: labels.map(Double.init)),
            task: .classification(classes: classNames),
            imageShape: xDims.count == 4 ? Array(xDims.dropFirst()) : nil,
            source: path)
    }
}

/// Serialises every use of the HDF5 library, which is not thread-safe as commonly built.
private let hdf5Lock = NSLock()

/// The names of the root group's members.
private func rootNames(_ file: hid_t, _ path: String) throws -> [String] {
    var info = H5G_info_t()
    guard H5Gget_info(file, &info) >= 0 else { throw DNNError("\(path): cannot list the datasets") }
    return (0..<info.nlinks).compactMap { i in
        let length = H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, dnn_h5p_default())
        guard length > 0 else { return nil }
        var name = [CChar](repeating: 0, count: length + 1)
        H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, &name, length + 1, dnn_h5p_default())
        return String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An open dataset with its type and dimensions; closes everything on `close()`.
private struct OpenDataset {
    let id: hid_t
    let type: hid_t
    let dims: [Int]

    init(_ file: hid_t, _ name: String, _ path: String) throws {
        id = H5Dopen2(file, name, dnn_h5p_default())
        guard id >= 0 else { throw DNNError("\(path): cannot open dataset \(name)") }
        type = H5Dget_type(id)
        let space = H5Dget_space(id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 1, rank <= 32 else {
            H5Tclose(type)
            H5Dclose(id)
            throw DNNError(
                "\(path): \(name) is \(rank == 0 ? "a single value or empty" : "of rank \(rank)"), not an array")
        }
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        // Sizes beyond Int (2⁶³) are refused as such, not wrapped.
        guard dims.allSatisfy({ $0 <= hsize_t(Int.max) }) else {
            H5Tclose(type)
            H5Dclose(id)
            throw DNNError("\(path): \(name) declares a size beyond any memory")
        }
        self.dims = dims.map { Int($0) }
    }

    /// The number of elements; call `checkSize` first (dimensions come from the file).
    var elementCount: Int { dims.reduce(1, *) }

    /// Throws unless the dataset's elements of `bytes` each fit the memory budget.
    func checkSize(_ name: String, _ path: String, bytes: Int) throws {
        try ResourceLimits.require(
            ResourceLimits.bytes(dims, each: bytes), for: "\(path): \(name) of shape \(elided("\(dims)"))")
    }

    func typeDescription() -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER: return "\(H5Tget_sign(type) == H5T_SGN_NONE ? "unsigned" : "signed") \(size * 8)-bit integers"
        case H5T_FLOAT: return "\(size * 8)-bit floats"
        case H5T_STRING: return "strings"
        default: return "values of another kind"
        }
    }

    func close() {
        H5Tclose(type)
        H5Dclose(id)
    }
}

/// The bytes of examples `shard(m)` (all m without `shard`), the data set's shape, and those examples.
private func readUInt8(_ file: hid_t, _ name: String, _ path: String, shard: ((Int) -> Range<Int>)?) throws -> (
    [UInt8], [Int], Range<Int>
) {
    let dataset = try OpenDataset(file, name, path)
    defer { dataset.close() }
    guard H5Tget_class(dataset.type) == H5T_INTEGER, H5Tget_size(dataset.type) == 1,
        H5Tget_sign(dataset.type) == H5T_SGN_NONE
    else {
        throw DNNError("\(path): \(name) holds \(dataset.typeDescription()); expected unsigned 8-bit integers (pixels)")
    }
    let m = dataset.dims[0]
    guard let shard else {
        // As read, then as features in float64: nine bytes per element.
        try dataset.checkSize(name, path, bytes: 9)
        var values = [UInt8](repeating: 0, count: dataset.elementCount)
        guard H5Dread(dataset.id, dnn_h5t_native_uint8(), dnn_h5s_all(), dnn_h5s_all(), dnn_h5p_default(), &values) >= 0
        else { throw DNNError("\(path): cannot read \(name); the file may be damaged") }
        return (values, dataset.dims, 0..<m)
    }
    let rows = shard(m)
    var shape = dataset.dims
    shape[0] = rows.count
    try ResourceLimits.require(
        ResourceLimits.bytes(shape, each: 9),
        for: "\(path): examples \(rows) of \(name) of shape \(elided("\(dataset.dims)"))")
    var values = [UInt8](repeating: 0, count: shape.reduce(1, *))
    guard !values.isEmpty else { return (values, dataset.dims, rows) }
    // The shard's rows of the file's space, read into a memory space of their shape.
    let fileSpace = H5Dget_space(dataset.id)
    defer { H5Sclose(fileSpace) }
    var start = [hsize_t](repeating: 0, count: shape.count)
    start[0] = hsize_t(rows.lowerBound)
    let count = shape.map { hsize_t($0) }
    let memorySpace = H5Screate_simple(Int32(count.count), count, nil)
    defer { H5Sclose(memorySpace) }
    guard dnn_h5s_select(fileSpace, start, count) >= 0,
        H5Dread(dataset.id, dnn_h5t_native_uint8(), memorySpace, fileSpace, dnn_h5p_default(), &values) >= 0
    else { throw DNNError("\(path): cannot read examples \(rows) of \(name); the file may be damaged") }
    return (values, dataset.dims, rows)
}

private func readInt64(_ file: hid_t, _ name: String, _ path: String) throws -> ([Int64], [Int]) {
    let dataset = try OpenDataset(file, name, path)
    defer { dataset.close() }
    // At most 8 bytes: the HDF5 library sizes its conversion buffers by the file's type, and a
    // damaged file of 2 KB declaring integers of 2 GB each made it allocate 2 GB.
    guard H5Tget_class(dataset.type) == H5T_INTEGER, H5Tget_size(dataset.type) <= 8 else {
        throw DNNError("\(path): \(name) holds \(dataset.typeDescription()); expected integer labels")
    }
    guard dataset.dims.count == 1 || (dataset.dims.count == 2 && dataset.dims.contains(1)) else {
        throw DNNError(
            "\(path): \(name) has shape \(elided("\(dataset.dims)")); labels are one-dimensional, (1, m) or (m, 1)")
    }
    try dataset.checkSize(name, path, bytes: 16)
    var values = [Int64](repeating: 0, count: dataset.elementCount)
    guard H5Dread(dataset.id, dnn_h5t_native_int64(), dnn_h5s_all(), dnn_h5s_all(), dnn_h5p_default(), &values) >= 0
    else { throw DNNError("\(path): cannot read \(name); the file may be damaged") }
    return (values, dataset.dims)
}

private func readStrings(_ file: hid_t, _ name: String, _ path: String) throws -> [String] {
    let dataset = try OpenDataset(file, name, path)
    defer { dataset.close() }
    guard H5Tget_class(dataset.type) == H5T_STRING, H5Tis_variable_str(dataset.type) == 0 else {
        throw DNNError("\(path): \(name) holds \(dataset.typeDescription()); expected fixed-length strings")
    }
    let width = H5Tget_size(dataset.type)
    // A class name of more than 1 KB is a damaged file (the course's are 7 bytes).
    guard width <= 1024 else {
        throw DNNError("\(path): \(name) holds strings of \(width) bytes each; class names are at most 1024")
    }
    try dataset.checkSize(name, path, bytes: max(width, 1) * 2)
    let memoryType = H5Tcopy(dnn_h5t_c_s1())
    defer { H5Tclose(memoryType) }
    H5Tset_size(memoryType, width)
    // Null-padded, as numpy writes fixed strings: a null-terminated type would lose the last byte.
    H5Tset_strpad(memoryType, H5T_STR_NULLPAD)
    var bytes = [UInt8](repeating: 0, count: width * dataset.elementCount)
    guard H5Dread(dataset.id, memoryType, dnn_h5s_all(), dnn_h5s_all(), dnn_h5p_default(), &bytes) >= 0 else {
        throw DNNError("\(path): cannot read \(name); the file may be damaged")
    }
    return (0..<dataset.elementCount).map { i in
        let field = bytes[i * width..<(i + 1) * width].prefix { $0 != 0 }
        return String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}
