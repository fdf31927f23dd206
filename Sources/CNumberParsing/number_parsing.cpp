// C++17's std::from_chars reads a double correctly rounded and several times faster than strtod
// (libstdc++ 12 and later use the Eisel-Lemire algorithm): a CSV of numbers is mostly this call.
// Where the standard library lacks it for floating point, strtod on a bounded copy stands in.
#include "number_parsing.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

const char *dnn_parse_double(const char *first, const char *last, double *value) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    auto result = std::from_chars(first, last, *value, std::chars_format::general);
    if (result.ec == std::errc::result_out_of_range) {
        // from_chars leaves the value unset out of range; strtod's ±inf or 0 is what the text means.
        char copy[512];
        size_t length = static_cast<size_t>(result.ptr - first);
        if (length >= sizeof copy) return nullptr;
        std::memcpy(copy, first, length);
        copy[length] = 0;
        *value = std::strtod(copy, nullptr);
        return result.ptr;
    }
    return result.ec == std::errc() ? result.ptr : nullptr;
#else
    char copy[512];
    size_t length = static_cast<size_t>(last - first);
    if (length >= sizeof copy) length = sizeof copy - 1;
    std::memcpy(copy, first, length);
    copy[length] = 0;
    char *end = nullptr;
    *value = std::strtod(copy, &end);
    return end == copy ? nullptr : first + (end - copy);
#endif
}
