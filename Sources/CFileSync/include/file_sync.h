#ifndef CHATBOT_FILE_SYNC_H
#define CHATBOT_FILE_SYNC_H

/* Starts writing a range of a file back to its device without waiting for it (Linux
   sync_file_range with SYNC_FILE_RANGE_WRITE), so that the fsync ending a large write
   waits less (it still waits for the last pages and the journal commit). A hint: returns 0, or -1 with errno set (ENOSYS where
   the call does not exist); the caller's fsync stays the guarantee either way.
   Not exported from libchatbot.so (its version script exports cb_* only). */
int chatbot_start_writeback(int fd, long long offset, long long length);

#endif
