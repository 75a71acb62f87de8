package project

// ContactPhoneAAD is the associated data a project's contact phone is sealed
// with, for writers that store projects in bulk (the data generator).
const ContactPhoneAAD = aadContactPhone
