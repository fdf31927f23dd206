import Foundation

/// numpy's `.npy` format, version 1.0: the magic string `\x93NUMPY`, the version, a little-endian
/// 16-bit header length, a header that is a Python dict literal
/// (`{'descr': '<f8', 'fortran_order': False, 'shape': (20, 12288), }`) padded with spaces and a
/// newline so the data starts on a 64-byte boundary, then the values in C order.
///
/// Written: float64 matrices, and bytes (uint8: text such as a model's task as UTF-8 JSON). Read:
/// float64, float32, integer and uint8 arrays of one or two dimensions, C or Fortran order; object
/// arrays (which need pickle) and other types are refused.
public struct NumPyArray: Sendable, Equatable {
    /// The size of each dimension, numpy's `shape`: `[20, 12288]`, or `[n]` for a 1-D array.
    public let shape: [Int]
    /// The values in C (row-major) order.
    public let values: [Double]
    /// Whether the array is written as bytes (`|u1`) rather than float64.
    public let isBytes: Bool

    /// An array of `shape` over `values` in C order; that their counts agree is not checked.
    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
        self.isBytes = false
    }

    /// A 1-D uint8 array of `bytes` (numpy reads it back with `bytes(array)`).
    public init(bytes: [UInt8]) {
        shape = [bytes.count]
        values = bytes.map(Double.init)
        isBytes = true
    }

    /// The values as bytes, when every one is a whole number 0…255.
    public var bytes: [UInt8]? {
        values.allSatisfy({ $0 >= 0 && $0 <= 255 && $0 == $0.rounded() }) ? values.map { UInt8($0) } : nil
    }

    /// The matrix as a 2-D array of shape (rows, cols), its values in row-major order.
    public init(_ matrix: Matrix) { self.init(shape: [matrix.rows, matrix.cols], values: matrix.scalars) }

    /// The array as a matrix: a 2-D array as it is, a 1-D array of n values as an n×1 column (a
    /// bias saved flat).
    public var matrix: Matrix? {
        switch shape.count {
        case 2 where shape[0] > 0 && shape[1] > 0: Matrix(rows: shape[0], cols: shape[1], scalars: values)
        case 1 where shape[0] > 0: Matrix(rows: shape[0], cols: 1, scalars: values)
        default: nil
        }
    }

    /// The bytes of a version-1.0 `.npy` file holding the values as little-endian float64.
    public var npyData: Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(isBytes ? "|u1" : "<f8")', 'fortran_order': False, 'shape': \(dims), }"
        // Magic (6) + version (2) + length (2) + header + "\n", a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        if isBytes {
            data.append(contentsOf: values.map { UInt8($0) })
            return data
        }
        data.reserveCapacity(data.count + 8 * values.count)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Reads a `.npy` file's bytes; `name` names it in errors.
    public init(npyData data: Data, name: String) throws {
        let bytes = [UInt8](data)
        guard let header = try Header(parsing: bytes[...], name: name) else {
            throw DNNError("\(name): truncated .npy header")
        }
        guard bytes.count - header.dataOffset == header.dataBytes else {
            throw DNNError(
                "\(name): shape \(header.shape) needs \(header.count) values of \(header.width) bytes; "
                    + "the file holds \(bytes.count - header.dataOffset) bytes")
        }
        let (start, width, read) = (header.dataOffset, header.width, header.read)
        var values = (0..<header.count).map { i in read(bytes[start + i * width..<start + (i + 1) * width]) }
        if header.fortranOrder, header.shape.count == 2 {
            // Fortran order: column-major; rearrange into rows.
            let (rows, cols) = (header.shape[0], header.shape[1])
            values = (0..<rows * cols).map { k in values[(k % cols) * rows + k / cols] }
        }
        self.init(shape: header.shape, values: values)
    }

    /// What a `.npy` header says: the values' type, order and shape, where they start, and how
    /// many bytes they take, checked (sizes that overflow or exceed the memory budget are refused
    /// before anything is allocated).
    struct Header {
        let shape: [Int]
        let fortranOrder: Bool
        /// Bytes per value, and how one is read (as a Double).
        let width: Int
        let read: (ArraySlice<UInt8>) -> Double
        /// The values' count and bytes, and the offset of the first.
        let count: Int
        let dataBytes: Int
        let dataOffset: Int

        /// The largest header read (numpy writes a few hundred bytes; a longer one is damaged).
        static let maximumLength = 1 << 16

        /// The header at the start of `bytes`, or nil when `bytes` stops before its end (the
        /// caller may have only the first part of the file).
        init?(parsing bytes: ArraySlice<UInt8>, name: String) throws {
            let base = bytes.startIndex
            guard bytes.count >= 8 else { return nil }
            guard bytes[base] == 0x93, Array(bytes[base + 1..<base + 6]) == Array("NUMPY".utf8) else {
                throw DNNError("\(name): not a .npy array (no \\x93NUMPY magic)")
            }
            let major = bytes[base + 6]
            guard major == 1 || major == 2 || major == 3 else {
                throw DNNError("\(name): .npy version \(major) is unknown")
            }
            let lengthBytes = major == 1 ? 2 : 4
            guard bytes.count >= 8 + lengthBytes else { return nil }
            var headerLength = 0
            for k in (0..<lengthBytes).reversed() { headerLength = headerLength << 8 | Int(bytes[base + 8 + k]) }
            guard headerLength <= Self.maximumLength else {
                throw DNNError("\(name): a .npy header of \(headerLength) bytes (numpy writes a few hundred)")
            }
            let start = 8 + lengthBytes
            guard bytes.count >= start + headerLength else { return nil }
            guard let text = String(bytes: bytes[base + start..<base + start + headerLength], encoding: .utf8) else {
                throw DNNError("\(name): the .npy header is not text")
            }
            guard let descr = NumPyArray.field("descr", in: text),
                let order = NumPyArray.field("fortran_order", in: text),
                let shapeText = NumPyArray.field("shape", in: text)
            else { throw DNNError("\(name): .npy header without descr, fortran_order and shape") }
            let descriptor = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            switch descriptor {
            case "<f8": (width, read) = (8, { Double(bitPattern: NumPyArray.littleEndian($0)) })
            case "<f4":
                (width, read) = (
                    4, { Double(Float(bitPattern: UInt32(truncatingIfNeeded: NumPyArray.littleEndian($0)))) }
                )
            case "<i8": (width, read) = (8, { Double(Int64(bitPattern: NumPyArray.littleEndian($0))) })
            case "<i4": (width, read) = (4, { Double(Int32(truncatingIfNeeded: Int64(NumPyArray.littleEndian($0)))) })
            case "|u1": (width, read) = (1, { Double($0.first!) })
            default:
                throw DNNError(
                    descriptor.hasPrefix("|O")
                        ? "\(name): an array of Python objects (it needs pickle, which is not read)"
                        : "\(name): dtype \(elided(descriptor)) is not supported (float64, float32, int64, int32, uint8)"
                )
            }
            let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            shape = dims.compactMap { Int($0) }
            guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw DNNError("\(name): shape \(elided(shapeText)) is not a list of sizes")
            }
            guard let bytesNeeded = ResourceLimits.bytes(shape, each: width) else {
                throw DNNError("\(name): shape \(elided("\(shape)")) holds more values than can be counted")
            }
            // The values as Double, and their bytes read: ten bytes per value at the peak.
            try ResourceLimits.require(
                ResourceLimits.bytes(shape, each: 8 + width), for: "\(name): an array of shape \(elided("\(shape)"))")
            fortranOrder = order.hasPrefix("True")
            count = bytesNeeded / width
            dataBytes = bytesNeeded
            dataOffset = start + headerLength
        }

        /// The bytes of the whole `.npy` file: header and values.
        var fileBytes: Int { dataOffset + dataBytes }
    }

    fileprivate static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The text after `'key':` in a Python dict literal, up to the next top-level comma.
    fileprivate static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0, value = ""
        for character in header[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," && depth == 0) || character == "}" { break }
            value.append(character)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }
}
