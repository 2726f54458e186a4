// @peculiar/x509 v2 needs reflect-metadata loaded once per entry point; tests are an entry point.
import 'reflect-metadata';
