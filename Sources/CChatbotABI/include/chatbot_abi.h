/* The public header, seen from Swift: the C layer reads option structs with the exact
 * layout C callers use, instead of a hand-kept copy. */
#include "../../../Include/chatbot.h"
