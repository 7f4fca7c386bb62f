/* test-v1-upload.c
 *
 * Copyright 2026 The Vitalscan authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests VitalV1Upload, the /v1 multipart spool: the boundary from the Content-Type, the hard
 * cap while bytes arrive, and the `file` field copied out of the spooled body whatever the
 * chunking, with boundary look-alikes in the data, and with malformed bodies of every kind.
 */
#include "vital-config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "vital-v1-upload.h"

#define BOUNDARY "vItAl-b0undary"
#define DISPOSITION "Content-Disposition: form-data; name=\"file\"; filename=\"v.webm\"\r\n"

typedef struct
{
  char *spool;
  char *dest;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->spool = g_dir_make_tmp ("vital-v1-upload-XXXXXX", NULL);
  g_assert_nonnull (f->spool);
  f->dest = g_build_filename (f->spool, "field.out", NULL);
}

static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_unlink (f->dest);
  g_assert_cmpuint (count_files (f->spool), ==, 0);
  g_assert_cmpint (g_rmdir (f->spool), ==, 0);
  g_free (f->spool);
  g_free (f->dest);
}

/* Spools @body in pieces of @chunk bytes, then copies the `file` field out. Returns the field
 * (NULL with @error set on failure); the spool file is gone afterwards, and so is the field's
 * file when the copy failed. */
static GBytes *
run (Fixture     *f,
     const char  *body,
     gsize        len,
     gsize        chunk,
     goffset      max_field,
     GError     **error)
{
  g_autoptr(VitalV1Upload) upload = NULL;
  g_autofree char *contents = NULL;
  goffset size = -1;
  gsize got = 0;

  g_unlink (f->dest);
  upload = vital_v1_upload_new (f->spool, BOUNDARY, 1 << 30, error);
  g_assert_nonnull (upload);
  g_assert_cmpuint (count_files (f->spool), ==, 1);
  for (gsize at = 0; at < len; at += chunk)
    g_assert_true (vital_v1_upload_append (upload, (const guint8 *) body + at,
                                           MIN (chunk, len - at), NULL));
  g_assert_cmpint (vital_v1_upload_get_received (upload), ==, (goffset) len);
  if (!vital_v1_upload_extract_field (upload, "file", f->dest, max_field, &size, error))
    {
      g_assert_false (g_file_test (f->dest, G_FILE_TEST_EXISTS));
      return NULL;
    }
  g_clear_pointer (&upload, vital_v1_upload_free);
  g_assert_cmpuint (count_files (f->spool), ==, 1);  /* only the field's file */
  g_assert_true (g_file_get_contents (f->dest, &contents, &got, NULL));
  g_assert_cmpint (size, ==, (goffset) got);
  return g_bytes_new_take (g_steal_pointer (&contents), got);
}

static void
assert_field (GBytes     *field,
              const char *expected,
              gsize       len)
{
  g_assert_nonnull (field);
  g_assert_cmpmem (g_bytes_get_data (field, NULL), g_bytes_get_size (field), expected, len);
}

static void
test_boundary (void)
{
  const struct
  {
    const char *type;
    const char *boundary;
  } cases[] = {
    { "multipart/form-data; boundary=abc", "abc" },
    { "Multipart/Form-Data; boundary=\"a b'()+_,-./:=?\"", "a b'()+_,-./:=?" },
    { "multipart/form-data; boundary=" "0123456789012345678901234567890123456789"
      "012345678901234567890123456789", "0123456789012345678901234567890123456789"
      "012345678901234567890123456789" },
    { "multipart/form-data; boundary=" "0123456789012345678901234567890123456789"
      "0123456789012345678901234567890", NULL },  /* 71 characters */
    { "multipart/form-data", NULL },
    { "multipart/form-data; boundary=", NULL },
    { "multipart/form-data; boundary=\"\"", NULL },
    { "multipart/mixed; boundary=abc", NULL },
    { "application/json", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessageHeaders) headers =
        soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_autoptr(GError) error = NULL;
      g_autofree char *boundary = NULL;

      if (cases[i].type != NULL)
        soup_message_headers_replace (headers, "Content-Type", cases[i].type);
      boundary = vital_v1_upload_parse_boundary (headers, &error);
      g_assert_cmpstr (boundary, ==, cases[i].boundary);
      if (cases[i].boundary == NULL)
        g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_NOT_MULTIPART);
      else
        g_assert_no_error (error);
    }
}

/* A form with another field first, a preamble, transport padding and an epilogue; every
 * chunking gives the same field. */
static void
test_extract_chunkings (Fixture       *f,
                        gconstpointer  data)
{
  static const char body[] =
    "preamble, ignored\r\n"
    "--" BOUNDARY "\r\n"
    "Content-Disposition: form-data; name=\"comment\"\r\n\r\n"
    "not this one\r\n"
    "--" BOUNDARY " \t\r\n"
    DISPOSITION
    "Content-Type: video/webm\r\n\r\n"
    "\x1a\x45\xdf\xa3 the video\r\nwith lines\r\n"
    "--" BOUNDARY "\r\n"
    "Content-Disposition: form-data; name=\"file\"\r\n\r\n"
    "a second file field is ignored\r\n"
    "--" BOUNDARY "--\r\n"
    "epilogue";
  static const char expected[] = "\x1a\x45\xdf\xa3 the video\r\nwith lines";
  const gsize chunks[] = { 1, 2, 3, 7, 64, 4096, sizeof body - 1 };

  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) field = run (f, body, sizeof body - 1, chunks[i], 1024, &error);

      g_assert_no_error (error);
      assert_field (field, expected, sizeof expected - 1);
    }
}

/* A field of several read blocks, full of things that look like the boundary but are not one:
 * a prefix of it, the boundary followed by other characters, the boundary without its CRLF. */
static void
test_extract_lookalikes (Fixture       *f,
                         gconstpointer  data)
{
  static const char *const lookalikes[] = {
    "\r\n--vItAl-b0und",
    "\r\n--" BOUNDARY "X\r\n",
    "\r\n--" BOUNDARY "-x",
    "\r\n--" BOUNDARY "  \tx\r\n",
    "--" BOUNDARY "\r\n",
    "\r\n-" BOUNDARY "\r\n",
    "\r\n\r\n--\r\n",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) field = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new ("--" BOUNDARY "\r\n" DISPOSITION "\r\n");
  const gsize chunks[] = { 8192, 65535, 65537, 1000003 };
  gsize head_len = body->len;

  while (field->len < 300 * 1024)
    {
      guint32 r = g_rand_int (rand);

      /* After a 'z', so that two look-alikes never join into a real boundary. */
      if (r % 97 == 0)
        g_string_append_printf (field, "z%s", lookalikes[r % G_N_ELEMENTS (lookalikes)]);
      else
        g_string_append_c (field, (char) (r >> 8));
    }
  /* Ends with a look-alike too, right before the real boundary. */
  g_string_append (field, "\r\n--" BOUNDARY "x");
  g_string_append_len (body, field->str, field->len);
  g_string_append (body, "\r\n--" BOUNDARY "--\r\n");
  g_assert_cmpuint (body->len, >, head_len + field->len);

  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) got = run (f, body->str, body->len, chunks[i], 1 << 20, &error);

      g_assert_no_error (error);
      assert_field (got, field->str, field->len);
    }
}

/* Malformed bodies fail with a message a person can act on, and leave no file behind. */
static void
test_extract_malformed (Fixture       *f,
                        gconstpointer  data)
{
  static char long_headers[24 * 1024];
  const struct
  {
    const char *body;
    VitalV1UploadError code;
    const char *message;
  } cases[] = {
    { "", VITAL_V1_UPLOAD_ERROR_MALFORMED, "no multipart boundary line" },
    { "just some text, no boundary at all", VITAL_V1_UPLOAD_ERROR_MALFORMED,
      "no multipart boundary line" },
    { "--other-boundary\r\n" DISPOSITION "\r\nxyz\r\n--other-boundary--\r\n",
      VITAL_V1_UPLOAD_ERROR_MALFORMED, "no multipart boundary line" },
    { "--" BOUNDARY, VITAL_V1_UPLOAD_ERROR_MALFORMED, "no multipart boundary line" },
    { "--" BOUNDARY "\r\nContent-Disposition: form-data; na", VITAL_V1_UPLOAD_ERROR_MALFORMED,
      "truncated (in a part's headers)" },
    { "--" BOUNDARY "\r\n" DISPOSITION "\r\n\x1a\x45\xdf\xa3 and then the body ends",
      VITAL_V1_UPLOAD_ERROR_MALFORMED, "truncated (the `file` part" },
    { "--" BOUNDARY "\r\n" DISPOSITION "\r\nabc\r\n--" BOUNDARY,
      VITAL_V1_UPLOAD_ERROR_MALFORMED, "truncated (the `file` part" },
    { "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nxyz",
      VITAL_V1_UPLOAD_ERROR_MALFORMED, "truncated (a part has" },
    { "--" BOUNDARY "\r\nContent-Disposition: form-data\r\n\r\nxyz\r\n--" BOUNDARY "--\r\n",
      VITAL_V1_UPLOAD_ERROR_NO_FIELD, "no `file` field" },
    { "--" BOUNDARY "\r\n\r\nno headers at all\r\n--" BOUNDARY "--\r\n",
      VITAL_V1_UPLOAD_ERROR_NO_FIELD, "no `file` field" },
    { "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"File\"\r\n\r\nx\r\n--" BOUNDARY
      "--", VITAL_V1_UPLOAD_ERROR_NO_FIELD, "no `file` field" },
    { "--" BOUNDARY "\r\nContent-Disposition: form-data; filename=\"file\"\r\n\r\nx\r\n--"
      BOUNDARY "--", VITAL_V1_UPLOAD_ERROR_NO_FIELD, "no `file` field" },
    { "--" BOUNDARY "--\r\n", VITAL_V1_UPLOAD_ERROR_NO_FIELD, "no `file` field" },
    { "--" BOUNDARY "\r\nX-Long: ", VITAL_V1_UPLOAD_ERROR_MALFORMED, "longer than" },
  };

  memset (long_headers, 'h', sizeof long_headers - 1);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) field = NULL;
      g_autofree char *body = NULL;

      /* The last case is its start followed by 24 KiB of one header line. */
      body = i + 1 == G_N_ELEMENTS (cases)
             ? g_strconcat (cases[i].body, long_headers, "\r\n\r\nx\r\n--" BOUNDARY "--", NULL)
             : g_strdup (cases[i].body);
      field = run (f, body, strlen (body), 5, 1024, &error);
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error != NULL ? error->message : "-");
      g_assert_null (field);
      g_assert_error (error, VITAL_V1_UPLOAD_ERROR, (int) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* An empty `file` part is well-formed (the handler refuses it as empty); a part whose headers
 * hold a NUL byte is not. */
static void
test_extract_empty_and_nul (Fixture       *f,
                            gconstpointer  data)
{
  static const char empty[] = "--" BOUNDARY "\r\n" DISPOSITION "\r\n\r\n--" BOUNDARY "--\r\n";
  static const char nul[] = "--" BOUNDARY "\r\nX-Odd: a\0b\r\n" DISPOSITION "\r\nok\r\n--"
                            BOUNDARY "--";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) field = run (f, empty, sizeof empty - 1, 3, 1024, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (field), ==, 0);
  g_clear_pointer (&field, g_bytes_unref);
  field = run (f, nul, sizeof nul - 1, 3, 1024, &error);
  g_assert_null (field);
  g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "headers could not be read"));
}

/* The body's cap refuses the append that passes it and deletes the spool at once; the field's
 * cap refuses the copy and removes its file. */
static void
test_caps (Fixture       *f,
           gconstpointer  data)
{
  static const char body[] = "--" BOUNDARY "\r\n" DISPOSITION "\r\n0123456789\r\n--" BOUNDARY
                             "--\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalV1Upload) upload = NULL;
  g_autoptr(GBytes) field = NULL;
  goffset size = 0;
  gsize len = sizeof body - 1;

  upload = vital_v1_upload_new (f->spool, BOUNDARY, (goffset) len - 1, &error);
  g_assert_no_error (error);
  g_assert_true (vital_v1_upload_append (upload, (const guint8 *) body, len - 2, &error));
  g_assert_false (vital_v1_upload_append (upload, (const guint8 *) body + len - 2, 2, &error));
  g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_TOO_LARGE);
  g_assert_cmpuint (count_files (f->spool), ==, 0);
  g_clear_error (&error);
  g_assert_false (vital_v1_upload_append (upload, (const guint8 *) "x", 1, &error));
  g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (vital_v1_upload_extract_field (upload, "file", f->dest, 1024, &size, &error));
  g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO);
  g_assert_false (g_file_test (f->dest, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Exactly at the cap is fine. */
  field = run (f, body, len, len, 10, &error);
  g_assert_no_error (error);
  assert_field (field, "0123456789", 10);
  g_clear_pointer (&field, g_bytes_unref);
  field = run (f, body, len, len, 9, &error);
  g_assert_null (field);
  g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_TOO_LARGE);
}

/* An existing destination is never overwritten. */
static void
test_dest_exists (Fixture       *f,
                  gconstpointer  data)
{
  static const char body[] = "--" BOUNDARY "\r\n" DISPOSITION "\r\nnew\r\n--" BOUNDARY "--";
  g_autoptr(GError) error = NULL;
  g_autoptr(VitalV1Upload) upload = vital_v1_upload_new (f->spool, BOUNDARY, 1024, &error);
  g_autofree char *contents = NULL;
  goffset size = 0;

  g_assert_true (g_file_set_contents (f->dest, "old", -1, NULL));
  g_assert_true (vital_v1_upload_append (upload, (const guint8 *) body, sizeof body - 1, NULL));
  g_assert_false (vital_v1_upload_extract_field (upload, "file", f->dest, 1024, &size, &error));
  g_assert_error (error, VITAL_V1_UPLOAD_ERROR, VITAL_V1_UPLOAD_ERROR_IO);
  g_assert_true (g_file_get_contents (f->dest, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/v1-upload/boundary", test_boundary);
  g_test_add ("/capture/v1-upload/extract/chunkings", Fixture, NULL, fixture_setup,
              test_extract_chunkings, fixture_teardown);
  g_test_add ("/capture/v1-upload/extract/lookalikes", Fixture, NULL, fixture_setup,
              test_extract_lookalikes, fixture_teardown);
  g_test_add ("/capture/v1-upload/extract/malformed", Fixture, NULL, fixture_setup,
              test_extract_malformed, fixture_teardown);
  g_test_add ("/capture/v1-upload/extract/empty-and-nul", Fixture, NULL, fixture_setup,
              test_extract_empty_and_nul, fixture_teardown);
  g_test_add ("/capture/v1-upload/caps", Fixture, NULL, fixture_setup, test_caps,
              fixture_teardown);
  g_test_add ("/capture/v1-upload/dest-exists", Fixture, NULL, fixture_setup, test_dest_exists,
              fixture_teardown);

  return g_test_run ();
}
