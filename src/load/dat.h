/* dat: a .dat chunk (TSV) and its LOAD DATA twin.
 *
 * Contract:
 *  - wharf_dat_feed runs the chunk's .sql twin, whose one LOAD DATA
 *    statement is fed the chunk's own .dat through a local infile handler
 *    (whatever file name the server asks for, only that file is opened),
 *    decompressed in process. More than one LOAD DATA, or none, fails.
 *  - When the server refuses LOCAL INFILE (1148, 4166, 2068 or
 *    local_infile=OFF), the rows become multi-row INSERTs (format/value.h
 *    encodes each field by column type), with one warning per run; only the
 *    default TSV format can be so converted.
 *  - The .dat's CRC-32 and size are checked against metadata (chunk.h).
 */
#ifndef WHARF_LOAD_DAT_H
#define WHARF_LOAD_DAT_H

#include "load/chunk.h"

gboolean wharf_dat_feed(wharf_chunk_run *cr, GError **err);

#endif
