/* static-job — a statically linked job, the way Go or musl programs come:
 * no program interpreter, no libc.so.  Reads /in/name.txt, writes
 * /out/hello.txt.  Build: cc -static -O2 -o static-job static-job.c */
#include <stdio.h>
#include <string.h>

int
main (void)
{
  char name[128] = "";
  FILE *in = fopen ("/in/name.txt", "r");
  FILE *out;

  if (in == NULL || fgets (name, sizeof name, in) == NULL)
    {
      perror ("static-job: /in/name.txt");
      return 1;
    }
  fclose (in);
  name[strcspn (name, "\n")] = '\0';
  out = fopen ("/out/hello.txt", "w");
  if (out == NULL || fprintf (out, "hello, %s\n", name) < 0 || fclose (out) != 0)
    {
      perror ("static-job: /out/hello.txt");
      return 1;
    }
  printf ("hello, %s\n", name);
  return 0;
}
