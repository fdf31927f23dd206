// stb's image decoder, resizer and encoder, as Debian's libstb-dev builds them (libstb.so).
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>
