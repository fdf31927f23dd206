import Foundation

/// numpy's `.npy` format, version 1.0: the magic string `\x93NUMPY`, the version, a little-endian
/// 16-bit header length, a header that is a Python dict literal
/// (`{'descr': '<f8', 'fortran_order': False, 'shape': (20, 12288), }`) padded with spaces and a
/// newline so the data starts on a 64-byte boundary, then the values in C order.
///
/// Written: float64 matrices. Read: float64, float32 and integer arrays of one or two dimensions,
/// C or Fortran order; object arrays (which need pickle) and other types are refused.
public struct NumPyArray: Sendable, Equatable {
    /// The size of each dimension, numpy's `shape`: `[20, 12288]`, or `[n]` for a 1-D array.
    public let shape: [Int]
    /// The values in C (row-major) order.
    public let values: [Double]

    /// An array of `shape` over `values` in C order; that their counts agree is not checked.
    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
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
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(dims), }"
        // Magic (6) + version (2) + length (2) + header + "\n", a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.reserveCapacity(data.count + 8 * values.count)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Reads a `.npy` file's bytes; `name` names it in errors.
    public init(npyData data: Data, name: String) throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw DNNError("\(name): not a .npy array (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        guard major == 1 || major == 2 || major == 3 else {
            throw DNNError("\(name): .npy version \(major) is unknown")
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { throw DNNError("\(name): truncated .npy header") }
        var headerLength = 0
        for k in (0..<lengthBytes).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + k]) }
        let start = 8 + lengthBytes
        guard bytes.count >= start + headerLength,
            let header = String(bytes: bytes[start..<start + headerLength], encoding: .utf8)
        else { throw DNNError("\(name): truncated .npy header") }
        guard let descr = Self.field("descr", in: header), let order = Self.field("fortran_order", in: header),
            let shapeText = Self.field("shape", in: header)
        else { throw DNNError("\(name): .npy header without descr, fortran_order and shape") }
        let descriptor = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let width: Int, read: (ArraySlice<UInt8>) -> Double
        switch descriptor {
        case "<f8": (width, read) = (8, { Double(bitPattern: Self.littleEndian($0)) })
        case "<f4":
            (width, read) = (4, { Double(Float(bitPattern: UInt32(truncatingIfNeeded: Self.littleEndian($0)))) })
        case "<i8": (width, read) = (8, { Double(Int64(bitPattern: Self.littleEndian($0))) })
        case "<i4": (width, read) = (4, { Double(Int32(truncatingIfNeeded: Int64(Self.littleEndian($0)))) })
        default:
            throw DNNError(
                descriptor.hasPrefix("|O")
                    ? "\(name): an array of Python objects (it needs pickle, which is not read)"
                    : "\(name): dtype \(elided(descriptor)) is not supported (float64, float32, int64, int32)")
        }
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 31 }) else {
            throw DNNError("\(name): shape \(elided(shapeText)) is not a list of sizes")
        }
        let (count, overflow) = shape.reduce((1, false)) { partial, size in
            let (product, o) = partial.0.multipliedReportingOverflow(by: size)
            return (product, partial.1 || o)
        }
        guard !overflow, bytes.count - start - headerLength == count * width else {
            throw DNNError(
                "\(name): shape \(shape) needs \(count) values of \(width) bytes; the file holds \(bytes.count - start - headerLength) bytes"
            )
        }
        var values = (0..<count).map { i in
            read(bytes[start + headerLength + i * width..<start + headerLength + (i + 1) * width])
        }
        if order.hasPrefix("True"), shape.count == 2 {
            // Fortran order: column-major; rearrange into rows.
            let (rows, cols) = (shape[0], shape[1])
            values = (0..<rows * cols).map { k in values[(k % cols) * rows + k / cols] }
        }
        self.init(shape: shape, values: values)
    }

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The text after `'key':` in a Python dict literal, up to the next top-level comma.
    private static func field(_ key: String, in header: String) -> String? {
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
